// Part 1 of the tshark oracle (test/oracle/tshark-fields.ts): every other capture, beside part 2.
import { fieldsOracle } from './tshark-fields.js';

fieldsOracle(1, 2);
