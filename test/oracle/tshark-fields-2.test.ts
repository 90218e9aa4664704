// Part 2 of the tshark oracle (test/oracle/tshark-fields.ts): every other capture, beside part 1.
import { fieldsOracle } from './tshark-fields.js';

fieldsOracle(2, 2);
