import { describe, it, expect } from 'vitest';
import { decodeHttpHead, hasHeadEnd, looksLikeHttpStart, HTTP_HEAD_SCAN_LIMIT } from '../../src/dissect/http.js';
import { robust } from '../support/mutate.js';

/** The bytes that matter to this decoder, written at random places by the mutations. */
const MUTATION = { special: [0x00, 0xff, 0x0d, 0x0a, 0x20, 0x3a, 0x7f, 0x80], maxEdits: 8 };

// TCP payloads copied from real captures (`tshark -r FILE -o tcp.desegment_tcp_streams:FALSE -T fields
// -e frame.number -e tcp.payload`). Expected values are tshark 4.0.17's http.request.method,
// http.request.uri, http.response.code, http.user_agent, http.host, http.content_length_header and
// http.connection for the same frames (run with desegmentation off, so tshark decodes each head in
// the segment where it starts). A "prefix" is the first N bytes of the payload: the head plus a little body.
//   HTTP_GET_ZEEK  zeek/get.pcap frame 4 (whole payload)
//   HTTP_200_ZEEK  zeek/get.pcap frame 6, first 330 of 1448 bytes
//   HTTP_REQ_PPP1  pcapplusplus/TwoHttpRequests.pcap frame 1 (whole)
//   HTTP_REQ_PPP2  pcapplusplus/TwoHttpRequests.pcap frame 2 (whole)
//   HTTP_RSP_PPP1  pcapplusplus/TwoHttpResponses.pcap frame 1, first 400 of 1360 bytes
//   HTTP_RSP_PPP2  pcapplusplus/TwoHttpResponses.pcap frame 2, first 200 of 1360 bytes
//   HTTP_PARTIAL   pcapplusplus/PartialHttpRequest.pcap frame 1 (whole; the head never ends)
//   HTTP_XML       tcpdump/ipv4_tcp_http_xml.pcap frame 1, first 280 of 605 bytes
//   HTTP_KA_REQ    lab/healthcheck-mix/healthcheck-mix.pcapng frame 151: keepalived HTTP_GET probe (whole)
//   HTTP_KA_RSP    lab/healthcheck-mix/healthcheck-mix.pcapng frame 153: rs1's reply head (whole)

const HTTP_GET_ZEEK =
  '474554202f646f776e6c6f61642f4348414e4745532e62726f2d6175782e74787420485454502f312e310d0a55736572' +
  '2d4167656e743a20576765742f312e3134202864617277696e31322e322e30290d0a4163636570743a202a2f2a0d0a48' +
  '6f73743a2062726f2e6f72670d0a436f6e6e656374696f6e3a204b6565702d416c6976650d0a0d0a';
const HTTP_200_ZEEK =
  '485454502f312e3120323030204f4b0d0a446174653a205468752c203037204d617220323031332032313a34333a3037' +
  '20474d540d0a5365727665723a204170616368652f322e342e3320284665646f7261290d0a4c6173742d4d6f64696669' +
  '65643a205765642c2032392041756720323031322032333a34393a323720474d540d0a455461673a2022313236312d34' +
  '633837303335386136666330220d0a4163636570742d52616e6765733a2062797465730d0a436f6e74656e742d4c656e' +
  '6774683a20343730350d0a4b6565702d416c6976653a2074696d656f75743d352c206d61783d3130300d0a436f6e6e65' +
  '6374696f6e3a204b6565702d416c6976650d0a436f6e74656e742d547970653a20746578742f706c61696e3b20636861' +
  '727365743d5554462d380d0a0d0a0a302e3236207c20323031322d30382d32342031353a31303a303420';
const HTTP_REQ_PPP1 =
  '474554202f686f6d652f302c373334302c4c2d382c30302e68746d6c20485454502f312e310d0a486f73743a20777777' +
  '2e796e65742e636f2e696c0d0a436f6e6e656374696f6e3a206b6565702d616c6976650d0a4163636570743a20746578' +
  '742f68746d6c2c6170706c69636174696f6e2f7868746d6c2b786d6c2c6170706c69636174696f6e2f786d6c3b713d30' +
  '2e392c696d6167652f776562702c2a2f2a3b713d302e380d0a557365722d4167656e743a204d6f7a696c6c612f352e30' +
  '202857696e646f7773204e5420362e3129204170706c655765624b69742f3533372e333620284b48544d4c2c206c696b' +
  '65204765636b6f29204368726f6d652f33382e302e323132352e313034205361666172692f3533372e33360d0a416363' +
  '6570742d456e636f64696e673a20677a69702c6465666c6174652c736463680d0a4163636570742d4c616e6775616765' +
  '3a20656e2d55532c656e3b713d302e380d0a0d0a';
const HTTP_REQ_PPP2 =
  '474554202f436f6d6d6f6e2f4170692f566964656f2f436d6d4c69676874626f78506c617965724a732f302c31343135' +
  '332c3036313031343138313731332c30302e6a7320485454502f312e310d0a486f73743a207777772e796e65742e636f' +
  '2e696c0d0a436f6e6e656374696f6e3a206b6565702d616c6976650d0a4163636570743a202a2f2a0d0a557365722d41' +
  '67656e743a204d6f7a696c6c612f352e30202857696e646f7773204e5420362e3129204170706c655765624b69742f35' +
  '33372e333620284b48544d4c2c206c696b65204765636b6f29204368726f6d652f33382e302e323132352e3130342053' +
  '61666172692f3533372e33360d0a526566657265723a20687474703a2f2f7777772e796e65742e636f2e696c2f686f6d' +
  '652f302c373334302c4c2d382c30302e68746d6c0d0a4163636570742d456e636f64696e673a20677a69702c6465666c' +
  '6174652c736463680d0a4163636570742d4c616e67756167653a20656e2d55532c656e3b713d302e380d0a0d0a';
const HTTP_RSP_PPP1 =
  '485454502f312e3120323030204f4b0d0a5365727665723a204d6963726f736f66742d4949532f352e300d0a436f6e74' +
  '656e742d547970653a206170706c69636174696f6e2f782d6a6176617363726970740d0a4163636570742d52616e6765' +
  '733a2062797465730d0a4c6173742d4d6f6469666965643a205765642c2031392044656320323031322031343a30363a' +
  '323920474d540d0a455461673a202233623834366461663264646364313a653239220d0a566172793a20416363657074' +
  '2d456e636f64696e670d0a436f6e74656e742d456e636f64696e673a20677a69700d0a436f6e74656e742d4c656e6774' +
  '683a20313631360d0a43616368652d436f6e74726f6c3a206d61782d6167653d36363133370d0a457870697265733a20' +
  '4d6f6e2c203230204f637420323031342031333a33343a323620474d540d0a446174653a2053756e2c203139204f6374' +
  '20323031342031393a31323a303920474d540d0a436f6e6e656374696f6e3a206b6565702d616c6976650d0a0d0a1f8b' +
  '08000000000000009557cb72db3614dd';
const HTTP_RSP_PPP2 =
  '485454502f312e3020343034204e6f7420466f756e640d0a436f6e74656e742d4c656e6774683a20313633350d0a436f' +
  '6e74656e742d547970653a20746578742f68746d6c0d0a5365727665723a204d6963726f736f66742d4949532f362e30' +
  '0d0a582d506f77657265642d42793a204153502e4e45540d0a446174653a2053756e2c203139204f6374203230313420' +
  '31393a31323a313120474d540d0a436f6e6e656374696f6e3a206b6565702d616c6976650d0a0d0a3c21444f43545950' +
  '452048544d4c2050';
const HTTP_PARTIAL =
  '474554202f7370612f76656e646f722e62756e646c652e35643338386662386462333863656334643535342e6a732048' +
  '5454502f312e310d0a486f73743a20617574682e77692d66692e72750d0a436f6e6e656374696f6e3a206b6565702d61' +
  '6c6976650d0a557365722d4167656e743a204d6f7a696c6c612f352e3020284c696e75783b20416e64726f696420362e' +
  '302e313b20534750363231204275696c642f32332e352e412e312e3239313b20777629204170706c655765624b69742f' +
  '3533372e333620284b48544d4c2c206c696b65204765636b6f292056657273696f6e2f342e30204368726f6d652f3733' +
  '2e302e333638332e3930205361666172692f3533372e33360d0a4163636570743a202a2f2a0d0a526566657265723a20' +
  '687474703a2f2f617574682e77692d66692e72752f617574683f636c69656e745f6d61633d3330253341373525334131' +
  '32253341646325334164312533416363266d61633d316325334162392533416334253341323925334161662533413930' +
  '267365676d656e743d6469745f656e666f7274610d0a4163636570742d456e636f64696e673a20677a69702c20646566' +
  '6c6174650d0a4163636570742d4c616e67756167653a2072752d52552c72753b713d302e392c656e2d55533b713d302e' +
  '382c656e3b713d302e370d0a436f6f6b69653a20636f6f6b6965735f65121e9d939a9bc2898d8e623b205f796d5f7569' +
  '643d30353126353235b6263d3b393936193932393be0b490990ec26fc595ca0e75e56fa4623a2869627071390055e663' +
  '0da2a7c6647c3e5006636bcae650b0b19dab9188b2a9c4df752075a6777ae564bd72286764a45e666456716cba216366' +
  '5e7d70646884218556c1ebcca08ff0353317b5933b2127df5d78436aebe9bafd7b4e3f32373d15653613352d641146d8' +
  'ebe2d58ed8980eb18f33ec353060613ae62a234330195238207d416635907e582a15c06a39421182adefab8fd544b0ad' +
  'a458d13b64ec4517a31d70312720a4625f61645f63ecf67c746172577b22d97477f7099ea121a59769570b3f236fe915' +
  '19346875653b6070754924323d23723137e63301477822e824b1a92a34212e6f34763320363d42772230652d657b5129' +
  'b145347267315121363036646179396162673e29bd784ca4c720306726db20007d696575703d7257353a38bdff3a3879' +
  '793931272177a686d489831c65dbfe1717bfba323e29aa3a35b13e3c3539ba3931383239313f96b8b2b8091c366439f3' +
  'a9c2c5d0bfa48ee7b811b25b9b11963bd6b9bd32112c37a23935373a3116341e3917317b17321ae4d509a88fbc88b5c0' +
  '5d3831b27934bc3a3232393a312911baf2b0b11127bbb8be32bc10f8b630633a633c312a503f91f23334373a3b25383a' +
  '392819b8323620ae662c237a3730f7a83232393a33351f3b227371293a32272b212b63bb31792d213e3073146a323676' +
  '3e7c39393e7530319b22b51042787c3c23446a7d69742520bc38673d326032a3372c36637673b075a37a78697172e672' +
  '28343161b90332711734dca3646a2b6a3c6564e87e512f3de6102625a6e51c3f2d2835b2156db93f3a1239363ce2331d' +
  '6af73c22195f703e19e2312f6d366c431d1c7834642d603046793d3667b234fb6627b075fd2d1dbafe6466b22722b051' +
  '015f187650b71671756d2d4d4165430c63e1e63678734430e16116303a3934626652315301ad33073cb02f2e503d19a5' +
  'ba98e93fad303330b3ad33653942653044ae38d1f72d6a43332e1de534e13526306b95352d394933372fb88632791139' +
  '154995271d5e3a3a3a1a30346760652dc29775563d9523a5a0271a63e349ad3060f1616136e3362f2e39b03f3eb3fd29' +
  '32c149332d33dc72c265fedd5484';
const HTTP_XML =
  '485454502f312e3120323030204f4b0d0a446174653a205475652c203138204d617220323031342031393a31323a3035' +
  '20474d540d0a5365727665723a204d6963726f736f66742d4949532f362e300d0a43616368652d436f6e74726f6c3a6e' +
  '6f2d63616368650d0a582d506f77657265642d42793a204153502e4e45540d0a582d4173704e65742d56657273696f6e' +
  '3a20342e302e33303331390d0a43616368652d436f6e74726f6c3a20707269766174652c206d61782d6167653d300d0a' +
  '436f6e74656e742d547970653a20746578742f786d6c3b20636861727365743d7574662d380d0a436f6e74656e742d4c' +
  '656e6774683a203335310d0a0d0a3c3f786d6c2076657273696f6e3d22312e302220656e636f6469';
const HTTP_KA_REQ =
  '474554202f6865616c746820485454502f312e300d0a557365722d4167656e743a204b656570416c697665436c69656e' +
  '740d0a486f73743a2031302e312e302e32313a38300d0a0d0a';
const HTTP_KA_RSP =
  '485454502f312e3120323030204f4b0d0a5365727665723a206c61622d68747470642f312e30200d0a446174653a2054' +
  '75652c203234204e6f7620323032362031393a34383a333820474d540d0a436f6e74656e742d747970653a206170706c' +
  '69636174696f6e2f6f637465742d73747265616d0d0a436f6e74656e742d4c656e6774683a20330d0a4c6173742d4d6f' +
  '6469666965643a205475652c203234204e6f7620323032362031393a34383a313520474d540d0a0d0a';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const decode = (b: Uint8Array) => decodeHttpHead(b, 0, b.length);

describe('decodeHttpHead on real captures (values from tshark)', () => {
  it('zeek/get.pcap frame 4: wget request', () => {
    const h = decode(hex(HTTP_GET_ZEEK))!;
    expect(h).toMatchObject({
      kind: 'request', method: 'GET', uri: '/download/CHANGES.bro-aux.txt', version: 'HTTP/1.1',
      userAgent: 'Wget/1.14 (darwin12.2.0)', host: 'bro.org', connection: 'Keep-Alive',
      complete: true, headLength: 136,
    });
    expect(h.headers).toEqual([
      ['User-Agent', 'Wget/1.14 (darwin12.2.0)'], ['Accept', '*/*'], ['Host', 'bro.org'], ['Connection', 'Keep-Alive'],
    ]);
    expect(h.problem).toBeUndefined();
  });

  it('zeek/get.pcap frame 6: 200 OK with Content-Length 4705', () => {
    const h = decode(hex(HTTP_200_ZEEK))!;
    expect(h).toMatchObject({
      kind: 'response', version: 'HTTP/1.1', status: 200, reason: 'OK', contentLength: 4705,
      connection: 'Keep-Alive', complete: true, headLength: 302,
    });
    expect(h.headers).toHaveLength(9);
    expect(h.headers[1]).toEqual(['Server', 'Apache/2.4.3 (Fedora)']);
    expect(h.method).toBeUndefined();
  });

  it('pcapplusplus/TwoHttpRequests.pcap frames 1 and 2', () => {
    const chrome = 'Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/38.0.2125.104 Safari/537.36';
    expect(decode(hex(HTTP_REQ_PPP1))).toMatchObject({
      method: 'GET', uri: '/home/0,7340,L-8,00.html', version: 'HTTP/1.1', host: 'www.ynet.co.il',
      userAgent: chrome, connection: 'keep-alive', complete: true, headLength: 356,
    });
    const h2 = decode(hex(HTTP_REQ_PPP2))!;
    expect(h2).toMatchObject({
      method: 'GET', uri: '/Common/Api/Video/CmmLightboxPlayerJs/0,14153,061014181713,00.js',
      host: 'www.ynet.co.il', userAgent: chrome, complete: true, headLength: 381,
    });
    expect(h2.headers).toHaveLength(7); // tshark: 7 http.request.line
  });

  it('pcapplusplus/TwoHttpResponses.pcap frames 1 and 2 (head, then gzip or HTML body)', () => {
    const r1 = decode(hex(HTTP_RSP_PPP1))!;
    expect(r1).toMatchObject({ version: 'HTTP/1.1', status: 200, reason: 'OK', contentLength: 1616, connection: 'keep-alive', complete: true, headLength: 382 });
    expect(r1.headers).toHaveLength(12);
    const r2 = decode(hex(HTTP_RSP_PPP2))!;
    expect(r2).toMatchObject({ version: 'HTTP/1.0', status: 404, reason: 'Not Found', contentLength: 1635, complete: true, headLength: 184 });
    expect(r2.headers.map(([n]) => n)).toEqual(['Content-Length', 'Content-Type', 'Server', 'X-Powered-By', 'Date', 'Connection']);
  });

  it('pcapplusplus/PartialHttpRequest.pcap: a head that never ends is incomplete, with what was read', () => {
    const h = decode(hex(HTTP_PARTIAL))!;
    expect(h).toMatchObject({
      kind: 'request', method: 'GET', uri: '/spa/vendor.bundle.5d388fb8db38cec4d554.js', version: 'HTTP/1.1',
      host: 'auth.wi-fi.ru', connection: 'keep-alive', complete: false, headLength: 1358,
    });
    expect(h.userAgent).toMatch(/^Mozilla\/5\.0 \(Linux; Android 6\.0\.1; SGP621/);
    // The Cookie line is garbled and never terminated: it is not decoded (tshark splits it at bare CRs).
    expect(h.headers.map(([n]) => n)).toEqual(['Host', 'Connection', 'User-Agent', 'Accept', 'Referer', 'Accept-Encoding', 'Accept-Language']);
    expect(h.problem?.layer).toBe('http');
    expect(h.problem?.message).toMatch(/incomplete/);
  });

  it('tcpdump/ipv4_tcp_http_xml.pcap: IIS 200 OK (802.1Q-tagged in the capture)', () => {
    const h = decode(hex(HTTP_XML))!;
    expect(h).toMatchObject({ kind: 'response', status: 200, reason: 'OK', contentLength: 351, complete: true, headLength: 254 });
    expect(h.connection).toBeUndefined();
    expect(h.headers.filter(([n]) => n === 'Cache-Control')).toHaveLength(2);
  });

  it('healthcheck-mix frame 151: keepalived HTTP_GET probe, and frame 153 the reply', () => {
    const req = decode(hex(HTTP_KA_REQ))!;
    expect(JSON.parse(JSON.stringify(req))).toEqual({
      kind: 'request', method: 'GET', uri: '/health', version: 'HTTP/1.0',
      headers: [['User-Agent', 'KeepAliveClient'], ['Host', '10.1.0.21:80']],
      userAgent: 'KeepAliveClient', host: '10.1.0.21:80', complete: true, headLength: 73,
    });
    const rsp = decode(hex(HTTP_KA_RSP))!;
    expect(rsp).toMatchObject({ kind: 'response', status: 200, reason: 'OK', contentLength: 3, complete: true, headLength: 185 });
    // "Server: lab-httpd/1.0 " has a trailing space on the wire; values are stored without it.
    expect(rsp.headers[0]).toEqual(['Server', 'lab-httpd/1.0']);
  });

  it('the keepalived request template literal', () => {
    const b = ascii('GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 10.1.0.21:80\r\n\r\n');
    expect(b).toEqual(hex(HTTP_KA_REQ)); // byte for byte what the lab's keepalived sent
    const h = decode(b)!;
    expect(h.userAgent).toBe('KeepAliveClient');
    expect(h.host).toBe('10.1.0.21:80');
    expect(h.connection).toBeUndefined(); // http_protocol 1.0 sends no Connection header
    const c = decode(ascii('GET /health HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: [fd00::21]:8080\r\n\r\n'))!;
    expect(c).toMatchObject({ version: 'HTTP/1.1', connection: 'close', host: '[fd00::21]:8080' });
  });
});

describe('decodeHttpHead edge cases', () => {
  it('respects offset and end inside a larger buffer', () => {
    const inner = hex(HTTP_KA_REQ);
    const big = new Uint8Array(inner.length + 20).fill(0x41);
    big.set(inner, 7);
    expect(JSON.stringify(decodeHttpHead(big, 7, 7 + inner.length))).toEqual(JSON.stringify(decode(inner)));
    // Cut before the blank line: incomplete, headers so far.
    const cut = decodeHttpHead(big, 7, 7 + 51)!; // request line (22) + User-Agent line (29)
    expect(cut.complete).toBe(false);
    expect(cut.headers).toEqual([['User-Agent', 'KeepAliveClient']]);
  });

  it('a request line cut mid-way keeps method and the URI seen so far', () => {
    const h = decode(ascii('GET /hea'))!;
    expect(h).toMatchObject({ kind: 'request', method: 'GET', uri: '/hea', version: '', complete: false });
    expect(h.problem).toBeDefined();
  });

  it('returns null for non-HTTP payloads', () => {
    expect(decode(ascii('220 rs3.lab ESMTP ready\r\n'))).toBeNull();
    expect(decode(hex('160301012401000120'))).toBeNull();
    expect(decode(ascii('GET\t/ HTTP/1.1\r\n\r\n'))).toBeNull();
    expect(decode(ascii('get / HTTP/1.1\r\n\r\n'))).toBeNull();
    expect(decode(new Uint8Array(0))).toBeNull();
  });

  it('accepts other upper-case methods only with a full request line', () => {
    expect(decode(ascii('PROPFIND /dav HTTP/1.1\r\nHost: x\r\n\r\n'))).toMatchObject({ method: 'PROPFIND', uri: '/dav', host: 'x', complete: true });
    expect(decode(ascii('PROPFIND /dav'))).toBeNull();
  });

  it('status line without reason, LF-only line ends, folded and malformed header lines', () => {
    const h = decode(ascii('HTTP/1.1 503\nContent-Length: 0\nX-A: one\n  two\nnot a header\n\n'))!;
    expect(h).toMatchObject({ status: 503, reason: '', contentLength: 0, complete: true });
    expect(h.headers).toEqual([['Content-Length', '0'], ['X-A', 'one two']]);
    expect(h.problem?.message).toMatch(/1 malformed header line/);
  });

  it('flags an invalid Content-Length', () => {
    const h = decode(ascii('HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n'))!;
    expect(h.contentLength).toBeUndefined();
    expect(h.problem?.message).toMatch(/Content-Length/);
  });

  it('stops at the scan limit on a huge head and bounds the header list', () => {
    let s = 'GET / HTTP/1.1\r\n';
    while (s.length < 3 * HTTP_HEAD_SCAN_LIMIT) s += 'X-Pad: ' + 'a'.repeat(20) + '\r\n';
    const h = decode(ascii(s))!;
    expect(h.complete).toBe(false);
    expect(h.headLength).toBe(HTTP_HEAD_SCAN_LIMIT);
    expect(h.headers.length).toBeLessThanOrEqual(100);
    expect(h.problem?.message).toMatch(/exceeds 16384 bytes/);
  });
});

describe('looksLikeHttpStart', () => {
  it('recognises methods followed by a space and "HTTP/"', () => {
    for (const m of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE']) {
      expect(looksLikeHttpStart(ascii(m + ' / HTTP/1.1'), 0, m.length + 2)).toBe(true);
    }
    expect(looksLikeHttpStart(hex(HTTP_RSP_PPP2), 0, 5)).toBe(true);
    expect(looksLikeHttpStart(ascii('GETS /'), 0, 6)).toBe(false);
    expect(looksLikeHttpStart(ascii('HTTP'), 0, 4)).toBe(false);
    expect(looksLikeHttpStart(ascii('xxGET /'), 2, 7)).toBe(true);
    expect(looksLikeHttpStart(ascii('GET /'), 0, 99)).toBe(false); // end beyond the buffer
  });
});



describe('decodeHttpHead never throws', () => {
  const samples = [HTTP_GET_ZEEK, HTTP_200_ZEEK, HTTP_PARTIAL, HTTP_KA_REQ, HTTP_KA_RSP, HTTP_RSP_PPP2];
  samples.forEach((h, i) => {
    it(`sample ${i}: every prefix and 2000 mutations`, () => {
      expect(() => robust(hex(h), (b, o, e) => { decodeHttpHead(b, o, e); looksLikeHttpStart(b, o, e); }, 1000 + i, MUTATION)).not.toThrow();
    });
  });
  it('bad arguments', () => {
    const b = hex(HTTP_KA_REQ);
    expect(decodeHttpHead(b, -1, 10)).toBeNull();
    expect(decodeHttpHead(b, 0, b.length + 10)).toBeNull();
    expect(decodeHttpHead(b, 10, 5)).toBeNull();
  });
});

describe('hasHeadEnd (does a segment complete its head, or must it wait for the next?)', () => {
  const b = (s: string) => Buffer.from(s, 'latin1');
  const at = (s: string) => hasHeadEnd(b(s), 0, s.length);
  it('finds the empty line: CRLF CRLF, bare LF LF, and with a body after it', () => {
    expect(at('GET / HTTP/1.0\r\nHost: x\r\n\r\n')).toBe(true);
    expect(at('GET / HTTP/1.0\nHost: x\n\n')).toBe(true);
    expect(at('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello')).toBe(true);
  });
  it('a head cut before its end is not complete', () => {
    expect(at('GET / HTTP/1.0\r\nHost: x\r\n')).toBe(false);
    expect(at('GET / HTTP/1.0\r\nHost: x\r\n\r')).toBe(false);
  });
  it('looks only inside [offset, end): an empty line outside does not count', () => {
    const s = '\r\n\r\nGET / HTTP/1.0\r\nHost: x\r\n\r\n';
    expect(hasHeadEnd(b(s), 4, s.length - 2)).toBe(false);
    expect(hasHeadEnd(b(s), 4, s.length)).toBe(true);
    // The first byte of the range cannot end a head on its own (no line before it).
    expect(hasHeadEnd(b('\n\nX'), 1, 3)).toBe(false);
  });
  it('looks no further than the scan limit', () => {
    const long = 'GET / HTTP/1.0\r\nX: ' + 'a'.repeat(HTTP_HEAD_SCAN_LIMIT) + '\r\n\r\n';
    expect(at(long)).toBe(false);
  });
});

