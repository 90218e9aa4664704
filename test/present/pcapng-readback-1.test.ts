// Part 1 of the pcapng read-back by tshark (test/present/pcapng-readback.ts): every other capture, beside part 2.
import { pcapngReadback } from './pcapng-readback.js';

pcapngReadback(1, 2);
