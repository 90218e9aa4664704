// TCP from literal bytes, and the HTTP head it carries (see README.md).

import { describe, expect, it } from 'vitest';
import { decodeTcp, TcpFlag } from '../../../src/dissect/tcp.js';
import { decodeAt, packet } from './hex.js';

// SYN with MSS, SACK_PERM, timestamps and window scale options; TCP at byte 34.
// tshark -T fields -e tcp.srcport -e tcp.dstport -e tcp.seq_raw -e tcp.ack_raw -e tcp.hdr_len -e tcp.flags -e tcp.window_size_value -e tcp.len:
//   51000|80|3735928559|0|40|0x0002|64240|0
// tcpdump -nnvv: 10.0.0.50.51000 > 10.0.0.100.80: Flags [S], cksum 0xf111 (correct), seq 3735928559, win 64240, options [mss 1460,sackOK,TS val 123456 ecr 0,nop,wscale 7], length 0
const SYN = '02000a00006402000a00003208004500003c01014000400625260a0000320a000064c7380050deadbeef00000000a002faf0f1110000020405b40402080a0001e2400000000001030307';

// PSH/ACK carrying keepalived's HTTP_GET request.
// tshark -T fields -e tcp.srcport -e tcp.dstport -e tcp.seq_raw -e tcp.ack_raw -e tcp.hdr_len -e tcp.flags -e tcp.window_size_value -e tcp.len
//                  -e http.request.method -e http.request.uri -e http.host -e http.user_agent:
//   51000|80|3735928560|16909060|20|0x0018|502|71|GET|/health|10.0.0.100|KeepAliveClient
// tcpdump -nnvv: Flags [P.], cksum 0x21e9 (correct), seq 3735928560:3735928631, ack 16909060, win 502, length 71: HTTP, length: 71
//   GET /health HTTP/1.1
const PSH = '02000a00006402000a00003208004500006f01024000400624f20a0000320a000064c7380050deadbef001020304501801f621e90000474554202f6865616c746820485454502f312e310d0a486f73743a2031302e302e302e3130300d0a557365722d4167656e743a204b656570416c697665436c69656e740d0a0d0a';

describe('TCP from bytes', () => {
  it('a SYN with options: ports, raw sequence number, header length, flags, window', () => {
    const t = decodeAt(decodeTcp, SYN, 34);
    expect([t.srcPort, t.dstPort, t.seq, t.ack, t.headerLength, t.flags, t.window, t.payloadLength]).toEqual([51000, 80, 3735928559, 0, 40, 0x0002, 64240, 0]);
    expect(t.flags & TcpFlag.SYN).toBe(TcpFlag.SYN);
  });

  it('a PSH/ACK with 71 bytes of payload', () => {
    const t = decodeAt(decodeTcp, PSH, 34);
    expect([t.srcPort, t.dstPort, t.seq, t.ack, t.headerLength, t.flags, t.window, t.payloadLength]).toEqual([51000, 80, 3735928560, 16909060, 20, 0x0018, 502, 71]);
    expect(t.payloadAt).toBe(54);
  });

  it('the whole frame: the HTTP head of the segment, as tshark reads it', () => {
    const p = packet(PSH);
    expect([p.ip!.src, p.ip!.dst, p.tcp!.srcPort, p.tcp!.dstPort]).toEqual(['10.0.0.50', '10.0.0.100', 51000, 80]);
    expect(p.http).toMatchObject({ method: 'GET', uri: '/health', host: '10.0.0.100', userAgent: 'KeepAliveClient' });
  });
});
