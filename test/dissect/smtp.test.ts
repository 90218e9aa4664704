import { describe, it, expect } from 'vitest';
import { decodeSmtpLine } from '../../src/dissect/smtp.js';
import { robust } from '../support/mutate.js';

/** The bytes that matter to this decoder, written at random places by the mutations. */
const MUTATION = { special: [0x00, 0xff, 0x0d, 0x0a, 0x20, 0x2d, 0x7f, 0x32], maxEdits: 8 };

// TCP payloads from real captures (`tshark -o tcp.desegment_tcp_streams:FALSE -T fields -e tcp.payload`);
// expected values are tshark 4.0.17's smtp.req.command, smtp.req.parameter, smtp.response.code and
// smtp.rsp.parameter for the same frames.
//   KA_*      lab/healthcheck-mix/healthcheck-mix.pcapng frames 17, 19, 21, 22, 23: one keepalived
//             SMTP_CHECK from director 10.1.0.11 to rs3 (helo_name set to lab-director.vrrpscope)
//   Z_*       zeek/smtp.pcap frames 6 (banner), 7 (EHLO), 9 (EHLO reply), 12 (AUTH LOGIN data),
//             16 (MAIL), 18 (RCPT), 20 (DATA), 21 (354), 22 (first 240 of 1460 bytes of the message),
//             54 (QUIT), 56 (221)
//   P_BASE64  pcapplusplus/Smtp.pcap frame 5 (an AUTH LOGIN password line)
//   P_451     pcapplusplus/Smtp.pcap frame 7 (two-line 451 reply)

const KA_BANNER =
  '323230207273332e6c61622045534d5450206c61622d736d7470642072656164790d0a';
const KA_HELO =
  '48454c4f206c61622d6469726563746f722e7672727073636f70650d0a';
const KA_250 =
  '323530207273332e6c61622048656c6c6f206c61622d6469726563746f722e7672727073636f70650d0a';
const KA_QUIT =
  '515549540d0a';
const KA_221 =
  '323231207273332e6c616220636c6f73696e6720636f6e6e656374696f6e0d0a';
const Z_BANNER =
  '3232302d786339302e7765627369746577656c636f6d652e636f6d2045534d5450204578696d20342e3639202331204d' +
  '6f6e2c203035204f637420323030392030313a30353a3534202d30353030200d0a3232302d576520646f206e6f742061' +
  '7574686f72697a652074686520757365206f6620746869732073797374656d20746f207472616e73706f727420756e73' +
  '6f6c6963697465642c200d0a32323020616e642f6f722062756c6b20652d6d61696c2e0d0a';
const Z_EHLO =
  '45484c4f2047500d0a';
const Z_EHLO_REPLY =
  '3235302d786339302e7765627369746577656c636f6d652e636f6d2048656c6c6f204750205b3132322e3136322e3134' +
  '332e3135375d0d0a3235302d53495a452035323432383830300d0a3235302d504950454c494e494e470d0a3235302d41' +
  '55544820504c41494e204c4f47494e0d0a3235302d5354415254544c530d0a3235302048454c500d0a';
const Z_AUTH_DATA =
  '5a33567963474679644746775148426864484a706233527a4c6d6c750d0a';
const Z_MAIL =
  '4d41494c2046524f4d3a203c6775727061727461704070617472696f74732e696e3e0d0a';
const Z_RCPT =
  '5243505420544f3a203c72616a5f64656f6c32303032696e407961686f6f2e636f2e696e3e0d0a';
const Z_DATA =
  '444154410d0a';
const Z_354 =
  '33353420456e746572206d6573736167652c20656e64696e67207769746820222e22206f6e2061206c696e6520627920' +
  '697473656c660d0a';
const Z_BODY =
  '46726f6d3a20224775727061727461702053696e676822203c6775727061727461704070617472696f74732e696e3e0d' +
  '0a546f3a203c72616a5f64656f6c32303032696e407961686f6f2e636f2e696e3e0d0a5375626a6563743a20534d5450' +
  '0d0a446174653a204d6f6e2c2035204f637420323030392031313a33363a3037202b303533300d0a4d6573736167652d' +
  '49443a203c3030303330316361343538312465663965353766302463656462303764302440696e3e0d0a4d494d452d56' +
  '657273696f6e3a20312e300d0a436f6e74656e742d547970653a206d756c7469706172742f6d697865643b0d0a09626f';
const Z_QUIT =
  '515549540d0a';
const Z_221 =
  '32323120786339302e7765627369746577656c636f6d652e636f6d20636c6f73696e6720636f6e6e656374696f6e0d0a';
const P_BASE64 =
  '63485675616d4669514445794d773d3d0d0a';
const P_451 =
  '3435312d54657374204f7074696f6e204c696e6520310d0a3435312054657374204f7074696f6e204c696e6520320d0a';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const server = (b: Uint8Array) => decodeSmtpLine(b, 0, b.length, true);
const client = (b: Uint8Array) => decodeSmtpLine(b, 0, b.length, false);

describe('keepalived SMTP_CHECK dialogue (healthcheck-mix frames 17-23)', () => {
  it('220 banner, HELO, 250, QUIT, 221', () => {
    expect(server(hex(KA_BANNER))).toEqual({ lines: [{ code: 220, text: 'rs3.lab ESMTP lab-smtpd ready' }] });
    expect(client(hex(KA_HELO))).toEqual({
      lines: [{ command: 'HELO', argument: 'lab-director.vrrpscope', text: 'HELO lab-director.vrrpscope' }],
    });
    expect(server(hex(KA_250))).toEqual({ lines: [{ code: 250, text: 'rs3.lab Hello lab-director.vrrpscope' }] });
    expect(client(hex(KA_QUIT))).toEqual({ lines: [{ command: 'QUIT', text: 'QUIT' }] });
    expect(server(hex(KA_221))).toEqual({ lines: [{ code: 221, text: 'rs3.lab closing connection' }] });
  });

  it("keepalived's default HELO name", () => {
    expect(client(ascii('HELO smtpchecker.keepalived.org\r\n'))!.lines[0]).toEqual({
      command: 'HELO', argument: 'smtpchecker.keepalived.org', text: 'HELO smtpchecker.keepalived.org',
    });
  });
});

describe('zeek/smtp.pcap and pcapplusplus/Smtp.pcap (values from tshark)', () => {
  it('frame 6: three-line 220 banner', () => {
    const r = server(hex(Z_BANNER))!;
    expect(r.lines.map((l) => l.code)).toEqual([220, 220, 220]);
    expect(r.lines.map((l) => l.continued ?? false)).toEqual([true, true, false]);
    expect(r.lines.map((l) => l.text)).toEqual([
      'xc90.websitewelcome.com ESMTP Exim 4.69 #1 Mon, 05 Oct 2009 01:05:54 -0500 ',
      'We do not authorize the use of this system to transport unsolicited, ',
      'and/or bulk e-mail.',
    ]);
    expect(r.problem).toBeUndefined();
  });

  it('frames 7 and 9: EHLO and its six-line 250 reply', () => {
    expect(client(hex(Z_EHLO))!.lines).toEqual([{ command: 'EHLO', argument: 'GP', text: 'EHLO GP' }]);
    const r = server(hex(Z_EHLO_REPLY))!;
    expect(r.lines.map((l) => l.text)).toEqual([
      'xc90.websitewelcome.com Hello GP [122.162.143.157]', 'SIZE 52428800', 'PIPELINING', 'AUTH PLAIN LOGIN', 'STARTTLS', 'HELP',
    ]);
    expect(r.lines.every((l) => l.code === 250)).toBe(true);
  });

  it('frames 16, 18, 20, 21, 54, 56: MAIL, RCPT, DATA, 354, QUIT, 221', () => {
    expect(client(hex(Z_MAIL))!.lines[0]).toMatchObject({ command: 'MAIL', argument: 'FROM: <gurpartap@patriots.in>' });
    expect(client(hex(Z_RCPT))!.lines[0]).toMatchObject({ command: 'RCPT', argument: 'TO: <raj_deol2002in@yahoo.co.in>' });
    expect(client(hex(Z_DATA))!.lines).toEqual([{ command: 'DATA', text: 'DATA' }]);
    expect(server(hex(Z_354))!.lines[0]).toEqual({ code: 354, text: 'Enter message, ending with "." on a line by itself' });
    expect(client(hex(Z_QUIT))!.lines[0].command).toBe('QUIT');
    expect(server(hex(Z_221))!.lines[0]).toEqual({ code: 221, text: 'xc90.websitewelcome.com closing connection' });
  });

  it('AUTH LOGIN data and message body lines carry no command', () => {
    expect(client(hex(Z_AUTH_DATA))!.lines).toEqual([{ text: 'Z3VycGFydGFwQHBhdHJpb3RzLmlu' }]);
    // tshark reports command "cHVu" parameter "mFiQDEyMw==" here (first four characters as the verb);
    // a base64 credential is not a command, so the decoder gives text only.
    expect(client(hex(P_BASE64))!.lines).toEqual([{ text: 'cHVuamFiQDEyMw==' }]);
    const body = client(hex(Z_BODY))!;
    expect(body.lines[0]).toEqual({ text: 'From: "Gurpartap Singh" <gurpartap@patriots.in>' });
    expect(body.lines.some((l) => l.command !== undefined)).toBe(false);
    expect(body.problem?.message).toMatch(/not terminated/); // the 240-byte prefix cuts the last line
  });

  it('Smtp.pcap frame 7: two-line 451', () => {
    expect(server(hex(P_451))!.lines).toEqual([
      { code: 451, continued: true, text: 'Test Option Line 1' },
      { code: 451, text: 'Test Option Line 2' },
    ]);
  });
});

describe('decodeSmtpLine edge cases', () => {
  it('null for non-SMTP data', () => {
    expect(server(ascii('HTTP/1.1 200 OK\r\n'))).toBeNull();
    expect(server(hex('160303007a0200007603'))).toBeNull(); // TLS after STARTTLS
    expect(client(hex('1603010124010001200303'))).toBeNull();
    expect(client(new Uint8Array(0))).toBeNull();
  });

  it('a reply split mid-line keeps what arrived', () => {
    const r = server(ascii('250-first\r\n250 sec'))!;
    expect(r.lines).toEqual([{ code: 250, continued: true, text: 'first' }, { code: 250, text: 'sec' }]);
    expect(r.problem?.message).toMatch(/not terminated/);
    const p = server(ascii('22'))!;
    expect(p.lines).toEqual([{ text: '22' }]);
  });

  it('flags a multi-line reply that changes code and server lines without code', () => {
    expect(server(ascii('250-a\r\n251 b\r\n'))!.problem?.message).toMatch(/changes code/);
    expect(server(ascii('250 a\r\nhello\r\n'))!.problem?.message).toMatch(/without a reply code/);
  });

  it('commands are matched case-insensitively and kept as sent; bare LF is tolerated but noted', () => {
    const r = client(ascii('quit\n'))!;
    expect(r.lines).toEqual([{ command: 'quit', text: 'quit' }]);
    expect(r.problem?.message).toMatch(/LF without CR/);
  });

  it('respects offset and end', () => {
    const inner = hex(KA_HELO);
    const big = new Uint8Array(inner.length + 10).fill(0x07);
    big.set(inner, 5);
    expect(decodeSmtpLine(big, 5, 5 + inner.length, false)).toEqual(client(inner));
  });

  it('bounds lines and bytes on a huge payload', () => {
    const r = client(ascii('NOOP\r\n'.repeat(20000)))!;
    expect(r.lines.length).toBe(128);
    expect(r.problem?.message).toMatch(/more than 128 lines/);
  });
});



describe('decodeSmtpLine never throws', () => {
  const samples = [Z_BANNER, Z_EHLO_REPLY, Z_BODY, KA_HELO, P_451];
  samples.forEach((h, i) => {
    it(`sample ${i}: every prefix and 2000 mutations, both directions`, () => {
      expect(() => robust(hex(h), (b, o, e) => { decodeSmtpLine(b, o, e, true); decodeSmtpLine(b, o, e, false); }, 2000 + i, MUTATION)).not.toThrow();
    });
  });
  it('bad arguments', () => {
    const b = hex(KA_HELO);
    expect(decodeSmtpLine(b, -1, 5, false)).toBeNull();
    expect(decodeSmtpLine(b, 0, b.length + 1, false)).toBeNull();
  });
});
