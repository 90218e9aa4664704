// Part 2 of the pcapng read-back by tshark (test/present/pcapng-readback.ts): every other capture, beside part 1.
import { pcapngReadback } from './pcapng-readback.js';

pcapngReadback(2, 2);
