import { describe, expect, it } from 'vitest';
import { addressKey, differences, disjointAddresses, keepalivedLog, masterDownMs, outranks, skewMs, takeoverReason, type AdvertProfile } from '../../src/analyse/vrrp/rules.js';

describe('VRRP timers (RFC 3768 §6.1, RFC 5798 §6.1)', () => {
  it('Skew_Time and Master_Down_Interval', () => {
    expect(skewMs(100, 1000, 2)).toBe(609.375); // (256-100)/256 s
    expect(skewMs(150, 3000, 2)).toBeCloseTo(414.0625); // v2 skew does not depend on the interval
    expect(skewMs(100, 2000, 3)).toBe(1218.75); // v3 scales with the interval
    expect(masterDownMs(1000, 100, 2)).toBe(3609.375);
    expect(masterDownMs(2000, 200, 3)).toBe(6437.5);
  });
});

describe('election order', () => {
  it('higher priority wins; on a tie, the higher primary address', () => {
    expect(outranks({ priority: 150, ip: '10.0.0.11' }, { priority: 100, ip: '10.0.0.12' })).toBe(true);
    expect(outranks({ priority: 100, ip: '10.0.0.12' }, { priority: 100, ip: '10.0.0.11' })).toBe(true);
    expect(outranks({ priority: 100, ip: '10.0.0.9' }, { priority: 100, ip: '10.0.0.10' })).toBe(false); // numeric, not text order
    expect(outranks({ priority: 100, ip: 'fe80::d6ca:6dff:fe72:b1da' }, { priority: 100, ip: 'fe80::d6ca:6dff:fe66:cf60' })).toBe(true);
    expect(addressKey('fe80::1')).toBe('fe800000000000000000000000000001');
  });

  it('classifies takeovers', () => {
    const prev = { ip: '10.0.0.11', priority: 150, lastTime: 100, resigned: false };
    expect(takeoverReason({ ip: '10.0.0.12', priority: 100 }, null, 100, 3609)).toBe('initial');
    expect(takeoverReason({ ip: '10.0.0.12', priority: 100 }, { ...prev, resigned: true }, 100.6, 3609)).toBe('resignation');
    expect(takeoverReason({ ip: '10.0.0.12', priority: 100 }, prev, 103.61, 3609)).toBe('master-down');
    expect(takeoverReason({ ip: '10.0.0.13', priority: 200 }, prev, 100.5, 3609)).toBe('preemption');
    expect(takeoverReason({ ip: '10.0.0.12', priority: 100 }, prev, 100.5, 3609)).toBe('unknown');
    // A keepalived backup never preempts an equal priority, even from a higher address (§8.17).
    expect(takeoverReason({ ip: '10.0.0.12', priority: 150 }, prev, 100.5, 3609)).toBe('unknown');
  });
});

describe('what differs between two routers of a VRID', () => {
  const base: AdvertProfile = { version: 2, intervalMs: 1000, authType: 1, authString: 'vrrpscp', addresses: ['10.0.0.100'], checksumVariant: 'v2', ttl: 255, unicast: false };
  it('names each difference in keepalived\'s order, with its log line', () => {
    expect(differences(base, base)).toEqual([]);
    expect(differences(base, { ...base, authString: 'other' })).toEqual([{ field: 'auth', values: ['PASS "vrrpscp"', 'PASS "other"'] }]);
    expect(differences(base, { ...base, intervalMs: 2000 }).map((d) => d.field)).toEqual(['advertInterval']);
    expect(differences(base, { ...base, ttl: 64, unicast: true }).map((d) => d.field)).toEqual(['ttl', 'unicast']);
    expect(keepalivedLog('auth', base, { ...base, authString: 'x' })).toBe('(VI_x) received an invalid passwd!');
    expect(keepalivedLog('auth', base, { ...base, authType: 0 })).toBe('(VI_x) received a 0 auth, expecting 1!');
    expect(keepalivedLog('advertInterval', base, { ...base, intervalMs: 2000 })).toBe("(VI_x) advertisement interval mismatch mine=1 sec rcv'd=2 sec");
    expect(keepalivedLog('ttl', base, { ...base, ttl: 64 })).toBe('(VI_x) invalid TTL/HL. Received 64 and expect 255');
  });
  it('VRID collisions have no address in common', () => {
    expect(disjointAddresses(['10.0.0.100'], ['10.0.0.200'])).toBe(true);
    expect(disjointAddresses(['10.0.0.100', '10.0.0.101'], ['10.0.0.101'])).toBe(false);
  });
});
