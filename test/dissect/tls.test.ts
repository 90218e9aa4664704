import { describe, it, expect } from 'vitest';
import { decodeTlsHandshake, looksLikeTlsHandshake, tlsVersionName } from '../../src/dissect/tls.js';
import { robust } from '../support/mutate.js';

/** The bytes that matter to this decoder, written at random places by the mutations. */
const MUTATION = { special: [0x00, 0xff, 0x01, 0x02, 0x16, 0x2b, 0x7f, 0x80], maxEdits: 8 };

// TCP payloads. Expected values from tshark 4.0.17: tls.record.version, tls.handshake.type,
// tls.handshake.length, tls.handshake.version, tls.handshake.extensions_server_name,
// tls.handshake.extensions.supported_version, tls.handshake.extensions_alpn_str,
// tls.handshake.ciphersuite, tls.handshake.cipher_suites_length (for 4433: `-d tcp.port==4433,tls`).
//
// Generated here (no public TLS capture was available): `openssl s_server -accept 4433 -www` and
// `openssl s_client -connect 127.0.0.1:4433 -servername lab.example [-alpn h2,http/1.1 | -tls1_2]`
// (OpenSSL 3.0.19), captured with `tcpdump -i lo port 4433`.
//   TLS_CH_ALPN  ClientHello with SNI lab.example and ALPN h2,http/1.1 (frame 4 of that capture, whole)
//   TLS_SH13     its ServerHello, TLS 1.3 (frame 6, first 133 of 1350 bytes: ServerHello + ChangeCipherSpec records)
//   TLS_CH12     ClientHello of `-tls1_2` (whole)
//   TLS_SH12     its ServerHello, TLS 1.2 (first 70 of 1184 bytes: the ServerHello record)
// From the lab: keepalived SSL_GET to rs4 10.1.0.24:443, no SNI (enable_sni not set):
//   HC_CH  lab/healthcheck-mix/healthcheck-mix.pcapng frame 52 (whole)
//   HC_SH  lab/healthcheck-mix/healthcheck-mix.pcapng frame 54, first 133 of 753 bytes

const TLS_CH_ALPN =
  '160301014a010001460303c3da151b577d5f6a3b21fc61ea2dfcfb97a83cf58d2e06db69c952259c32b3c2207e02b456' +
  'f87cd8f28bcb0ab623899d277c00e97eafde69b999c2bbc496756d8c003e130213031301c02cc030009fcca9cca8ccaa' +
  'c02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff010000bf' +
  '00000010000e00000b6c61622e6578616d706c65000b000403000102000a00160014001d0017001e0019001801000101' +
  '010201030104002300000010000e000c02683208687474702f312e310016000000170000000d002a0028040305030603' +
  '080708080809080a080b080408050806040105010601030303010302040205020602002b000908030403030302030100' +
  '2d00020101003300260024001d002015dbd1136c2f2b6b209fb75176acdb7dfbedbe9bf556d74ea9ba2f8c983e014c';
const TLS_SH13 =
  '160303007a02000076030383161c0a442254bfeb213e9d6d69a42965e09d5b4eff0b0b34ca228ae42b9815207e02b456' +
  'f87cd8f28bcb0ab623899d277c00e97eafde69b999c2bbc496756d8c130200002e002b0002030400330024001d002042' +
  'e0e3760d932fa5480d2e2fd597f7a82c2b70bb0fd75129220cc4324a2b9363140303000101';
const TLS_CH12 =
  '16030100cb010000c703034032f8eec4b4bba0052975cbca3269bd9c05e80af1e31197dfc5efbfa4f5df0e000038c02c' +
  'c030009fcca9cca8ccaac02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c003d003c' +
  '0035002f00ff0100006600000010000e00000b6c61622e6578616d706c65000b000403000102000a000c000a001d0017' +
  '001e00190018002300000016000000170000000d002a0028040305030603080708080809080a080b0804080508060401' +
  '05010601030303010302040205020602';
const TLS_SH12 =
  '16030300410200003d0303aac33c8869553a0e8c28f43ae307c66742af9bf979f955ef444f574e4752440100c0300000' +
  '15ff01000100000b0004030001020023000000170000';
const HC_CH =
  '1603010124010001200303813257987562fda78151a3a003bcfb78947d1458ec255ad8bdd367c2945af8c520e8147504' +
  'b34ffdead6f925f3e32cbbc7452f48ab0abfceb745b57fe503efe1a1003e130213031301c02cc030009fcca9cca8ccaa' +
  'c02bc02f009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff01000099' +
  '000b000403000102000a00160014001d0017001e0019001801000101010201030104002300000016000000170000000d' +
  '002a0028040305030603080708080809080a080b080408050806040105010601030303010302040205020602002b0009' +
  '080304030303020301002d00020101003300260024001d0020bf01c9d69eab6b0a74a0c0266efc00fdba199532909cb6' +
  'cb3176a25248622f72';
const HC_SH =
  '160303007a020000760303589e9e48f204f44811f84f140cf0d4e1fa55f6bc9d3198f9d49a2c2aa0b516b520e8147504' +
  'b34ffdead6f925f3e32cbbc7452f48ab0abfceb745b57fe503efe1a1130200002e002b0002030400330024001d002073' +
  '5480ce2a0855faa6ae3ca98427326db60475891830087f8de5e391406cde4b140303000101';

const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const decode = (b: Uint8Array) => decodeTlsHandshake(b, 0, b.length);

describe('decodeTlsHandshake on real hellos (values from tshark)', () => {
  it('openssl ClientHello: SNI, ALPN, TLS 1.3 offered', () => {
    expect(decode(hex(TLS_CH_ALPN))).toEqual({
      handshakeType: 'client-hello', recordVersion: 0x0301, recordLength: 330, handshakeLength: 326,
      helloVersion: 0x0303, sni: 'lab.example', alpn: ['h2', 'http/1.1'],
      supportedVersions: [0x0304, 0x0303, 0x0302, 0x0301], cipherSuiteCount: 31,
      versionName: 'TLS 1.3', complete: true,
    });
  });

  it('openssl ServerHello: TLS 1.3 selected, TLS_AES_256_GCM_SHA384', () => {
    expect(decode(hex(TLS_SH13))).toEqual({
      handshakeType: 'server-hello', recordVersion: 0x0303, recordLength: 122, handshakeLength: 118,
      helloVersion: 0x0303, selectedVersion: 0x0304, cipherSuite: 0x1302, versionName: 'TLS 1.3', complete: true,
    });
  });

  it('openssl -tls1_2: no supported_versions extension, TLS 1.2 both ways', () => {
    expect(decode(hex(TLS_CH12))).toMatchObject({
      handshakeType: 'client-hello', sni: 'lab.example', helloVersion: 0x0303, cipherSuiteCount: 28, versionName: 'TLS 1.2', complete: true,
    });
    expect(decode(hex(TLS_CH12))!.supportedVersions).toBeUndefined();
    expect(decode(hex(TLS_SH12))).toMatchObject({
      handshakeType: 'server-hello', cipherSuite: 0xc030, versionName: 'TLS 1.2', complete: true,
    });
    expect(decode(hex(TLS_SH12))!.selectedVersion).toBeUndefined();
  });

  it('healthcheck-mix frames 52/54: keepalived SSL_GET negotiates TLS 1.3 without SNI', () => {
    const ch = decode(hex(HC_CH))!;
    expect(ch).toMatchObject({
      handshakeType: 'client-hello', recordVersion: 0x0301, handshakeLength: 288, cipherSuiteCount: 31,
      supportedVersions: [0x0304, 0x0303, 0x0302, 0x0301], versionName: 'TLS 1.3', complete: true,
    });
    expect(ch.sni).toBeUndefined();
    expect(decode(hex(HC_SH))).toMatchObject({ selectedVersion: 0x0304, cipherSuite: 0x1302, versionName: 'TLS 1.3' });
  });
});

describe('decodeTlsHandshake on partial input', () => {
  it('a ClientHello split over two TCP segments: first part gives complete false and a problem', () => {
    const whole = hex(TLS_CH_ALPN);
    // Cut inside the extensions, before server_name is complete, as a 100-byte first segment would.
    const first = decodeTlsHandshake(whole, 0, 100)!;
    expect(first).toMatchObject({ handshakeType: 'client-hello', recordLength: 330, cipherSuiteCount: 31, complete: false });
    expect(first.problem).toEqual({ layer: 'tls', message: 'TLS record truncated: 100 of 335 bytes (hello split over TCP segments?)' });
    // The reassembled record decodes fully.
    const joined = new Uint8Array(whole.length);
    joined.set(whole.subarray(0, 100));
    joined.set(whole.subarray(100), 100);
    expect(decode(joined)!.sni).toBe('lab.example');
  });

  it('every cut of the ClientHello is incomplete until the last byte', () => {
    const whole = hex(TLS_CH_ALPN);
    for (let n = 6; n < whole.length; n++) {
      const r = decodeTlsHandshake(whole, 0, n)!;
      expect(r.handshakeType).toBe('client-hello');
      expect(r.complete).toBe(false);
      expect(r.problem).toBeDefined();
    }
    expect(decodeTlsHandshake(whole, 0, 5)).toBeNull();
  });

  it('a handshake message longer than its record (fragmented over records)', () => {
    const b = Uint8Array.from(hex(TLS_SH12));
    b[4] = 40; // record length 40 < handshake length 61 + 4
    const r = decodeTlsHandshake(b, 0, 45)!;
    expect(r.complete).toBe(false);
    expect(r.problem?.message).toMatch(/past the end of its record/);
  });

  it('respects offset and end', () => {
    const inner = hex(HC_SH);
    const big = new Uint8Array(inner.length + 9).fill(0x16);
    big.set(inner, 4);
    expect(decodeTlsHandshake(big, 4, 4 + inner.length)).toEqual(decode(inner));
  });
});

describe('null and helpers', () => {
  it('returns null for non-handshake records and other handshake types', () => {
    expect(decode(hex('170303001700112233445566778899aabbccddeeff0011223344556677'))).toBeNull(); // application data
    expect(decode(hex('140303000101'))).toBeNull(); // ChangeCipherSpec
    const cert = Uint8Array.from(hex(TLS_SH12));
    cert[5] = 11; // Certificate
    expect(decode(cert)).toBeNull();
    expect(decode(new TextEncoder().encode('GET / HTTP/1.1\r\n'))).toBeNull();
  });

  it('looksLikeTlsHandshake and tlsVersionName', () => {
    expect(looksLikeTlsHandshake(hex(HC_CH), 0, 3)).toBe(true);
    expect(looksLikeTlsHandshake(hex('170303'), 0, 3)).toBe(false);
    expect(tlsVersionName(0x0304)).toBe('TLS 1.3');
    expect(tlsVersionName(0x0300)).toBe('SSL 3.0');
    expect(tlsVersionName(0x7f1c)).toBe('TLS 1.3 draft 28');
    expect(tlsVersionName(0x1234)).toBe('unknown (0x1234)');
  });

  /** A handshake record around a hello body (hex), with the record and handshake lengths filled in. */
  function record(type: number, body: string): Uint8Array {
    const n = body.length / 2;
    const h = (v: number, w: number) => v.toString(16).padStart(w, '0');
    return hex('160303' + h(n + 4, 4) + h(type, 2) + h(n, 6) + body);
  }

  it('ignores GREASE in supported_versions and recognises a HelloRetryRequest', () => {
    // Minimal hand-made ClientHello: one cipher suite, supported_versions = GREASE 0x3a3a, 0x0304, 0x0303.
    const ch = record(1, '0303' + '00'.repeat(32) + '00' + '0002' + '1301' + '0100' + '000b' + '002b' + '0007' + '06' + '3a3a03040303');
    expect(decode(ch)).toMatchObject({ supportedVersions: [0x0304, 0x0303], versionName: 'TLS 1.3', cipherSuiteCount: 1, complete: true });
    expect(decode(ch)!.problem).toBeUndefined();
    const hrr = record(2,
      '0303' + 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c' + '00' + '1301' + '00' +
      '0006' + '002b' + '0002' + '0304');
    expect(decode(hrr)).toMatchObject({ handshakeType: 'server-hello', helloRetryRequest: true, selectedVersion: 0x0304, complete: true });
  });

  it('a length that lies inside a complete record is a problem, not a truncation', () => {
    // cipher suites length 0x00ff runs past the end of the message
    const bad = record(1, '0303' + '00'.repeat(32) + '00' + '00ff' + '1301' + '0100');
    const r = decode(bad)!;
    expect(r.complete).toBe(true);
    expect(r.problem?.message).toMatch(/runs past the end of the handshake message/);
  });
});



describe('decodeTlsHandshake never throws', () => {
  const samples = [TLS_CH_ALPN, TLS_SH13, TLS_CH12, TLS_SH12, HC_CH];
  samples.forEach((h, i) => {
    it(`sample ${i}: every prefix and 2000 mutations`, () => {
      expect(() => robust(hex(h), (b, o, e) => { decodeTlsHandshake(b, o, e); looksLikeTlsHandshake(b, o, e); }, 3000 + i, MUTATION)).not.toThrow();
    });
  });
  it('bad arguments', () => {
    const b = hex(HC_CH);
    expect(decodeTlsHandshake(b, -1, 10)).toBeNull();
    expect(decodeTlsHandshake(b, 0, b.length + 1)).toBeNull();
  });
});
