// keepalived.conf as keepalived reads it: comments, quotes, braces, continuations, includes (relative
// to the including file, globs and braces), parameters, conditional lines; what matters here read with
// file and line; errors with a clear file:line message; unknown keywords once; nothing ever throws.

import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseKeepalivedConf, loadConfigs, ConfigFileError, effectiveDelayLoop, configName } from '../../src/config/index.js';
import { decomment, splitWords } from '../../src/config/lexer.js';
import { expandBraces } from '../../src/config/glob.js';
import { fixture, labScenarios } from '../support/captures.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'vrrpscope-conf-'));
function conf(text: string, name = 'keepalived.conf', dir = tmp()): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('lexing as keepalived does', () => {
  it('comments start with # or ! anywhere outside double quotes; \\# is literal', () => {
    expect(decomment('priority 150 # the master')).toEqual({ text: 'priority 150', continued: false, unterminated: false });
    expect(decomment('   ! a whole comment').text).toBe('');
    expect(decomment('misc_path "/bin/check #1 !x"  ! comment').text).toBe('misc_path "/bin/check #1 !x"');
    expect(decomment('auth_pass ab\\#cd').text).toBe('auth_pass ab#cd');
    expect(decomment('virtual_ipaddress { \\').continued).toBe(true);
    expect(decomment('misc_path "/bin/true').unterminated).toBe(true);
  });

  it('quotes group words, braces stand alone even when glued', () => {
    expect(splitWords('vrrp_instance VI_1{').map((w) => w.text)).toEqual(['vrrp_instance', 'VI_1', '{']);
    expect(splitWords('misc_path "/usr/bin/curl -s http://x/"}').map((w) => w.text)).toEqual(['misc_path', '/usr/bin/curl -s http://x/', '}']);
    expect(splitWords("helo_name 'a b'")[1]).toEqual({ text: 'a b', quoted: true });
    expect(splitWords('path "{not a brace}"')[1].text).toBe('{not a brace}');
  });

  it('brace expansion as glob(3) with GLOB_BRACE', () => {
    expect(expandBraces('conf.d/{a,b}.conf')).toEqual(['conf.d/a.conf', 'conf.d/b.conf']);
    expect(expandBraces('x{1,{2,3}}y')).toEqual(['x1y', 'x2y', 'x3y']);
    expect(expandBraces('plain{}')).toEqual(['plain{}']);
  });
});

describe('what matters here, with file and line', () => {
  const lab = fixture('lab/healthcheck-mix/conf/keepalived-d1.conf');
  it('a lab configuration: instances, virtual servers, checkers and their parameters', () => {
    const c = parseKeepalivedConf(lab);
    expect(c.problems).toEqual([]);
    expect(configName(c)).toBe('d1');
    expect(c.instances.map((i) => [i.name, i.vrid?.value, i.priority?.value, i.advertInt?.value, i.state?.value, i.interface?.value, i.vips.map((v) => v.value)]))
      .toEqual([['VI_1', 51, 150, 1, 'MASTER', 'eth0', ['10.0.0.100']], ['VI_2', 52, 150, 1, 'MASTER', 'eth1', ['10.1.0.1']]]);
    expect(c.instances[0].priority!.at).toEqual({ file: lab, line: 17 });
    const [web, smtp, ssl] = c.virtualServers;
    expect([web.ip, web.port, web.delayLoop?.value, web.lbKind?.value, web.lbAlgo?.value]).toEqual(['10.0.0.100', 80, 2, 'NAT', 'rr']);
    expect(web.realServers.map((r) => [r.ip, r.port, r.weight?.value, r.checkers.map((ch) => ch.type)])).toEqual([
      ['10.1.0.21', 80, 1, ['HTTP_GET']], ['10.1.0.22', 80, 1, ['HTTP_GET']], ['10.1.0.23', 80, 1, ['TCP_CHECK']], ['10.1.0.24', 80, 1, ['MISC_CHECK']],
    ]);
    const http = web.realServers[1].checkers[0];
    expect([http.urls[0].path?.value, http.urls[0].digest?.value, http.retry?.value, http.connectTimeout?.value]).toEqual(['/index.html', 'ab6e92195cc4a6729fd12b2672377cad', 1, 2]);
    expect(web.realServers[3].checkers[0].miscPath?.value).toBe('/usr/bin/curl -s -o /dev/null -f --max-time 2 http://10.1.0.24/health');
    expect(smtp.realServers[0].checkers[0].heloName?.value).toBe('lab-director.vrrpscope');
    expect(ssl.realServers[0].checkers[0].type).toBe('SSL_GET');
    expect(effectiveDelayLoop(web, web.realServers[0], web.realServers[0].checkers[0])).toEqual({ seconds: 2, at: { file: lab, line: 36 } });
  });

  it('authentication, unicast peers, nopreempt, version, GARP settings, sync daemon, sorry server and quorum', () => {
    const p = conf(`global_defs {
  router_id lb-a
  vrrp_version 3
  vrrp_garp_master_repeat 3
  vrrp_garp_master_delay 6
  lvs_sync_daemon eth1 VI_2 id 7 maxlen 1400
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 120
  advert_int 0.5
  nopreempt
  preempt_delay 10
  version 2
  authentication {
    auth_type pass
    auth_pass secret99
  }
  unicast_src_ip 10.0.0.11
  unicast_peer {
    10.0.0.12
    10.0.0.13
  }
  virtual_ipaddress {
    10.0.0.100/24 dev eth0 label eth0:vip
    10.0.0.101
  }
  track_script { chk_nginx }
}
virtual_server fwmark 5 {
  quorum 2
  hysteresis 1
  sorry_server 10.1.0.99 8080
  lb_kind dr
  real_server 10.1.0.21 80 {
    PING_CHECK { delay_loop 9 }
    UDP_CHECK { connect_port 53 }
    DNS_CHECK {
      type A
      name example.org
    }
  }
}
`);
    const c = parseKeepalivedConf(p);
    expect(c.problems).toEqual([]);
    expect([c.routerId?.value, c.vrrpVersion?.value, c.garp.masterRepeat?.value, c.garp.masterDelay?.value]).toEqual(['lb-a', 3, 3, 6]);
    expect(c.lvsSyncDaemon).toMatchObject({ iface: 'eth1', instance: 'VI_2', syncId: 7, at: { line: 6 } });
    const i = c.instances[0];
    expect([i.state?.value, i.advertInt?.value, i.version?.value, i.auth?.type?.value, i.auth?.pass?.value, i.preemptDelay?.value]).toEqual(['BACKUP', 0.5, 2, 'PASS', 'secret99', 10]);
    expect(i.nopreempt).toEqual({ file: p, line: 14 });
    expect(i.unicastSrcIp?.value).toBe('10.0.0.11');
    expect(i.unicastPeers.map((x) => x.value)).toEqual(['10.0.0.12', '10.0.0.13']);
    expect(i.vips.map((x) => x.value)).toEqual(['10.0.0.100', '10.0.0.101']);
    expect(i.tracked).not.toBeNull();
    const vs = c.virtualServers[0];
    expect([vs.fwmark, vs.quorum?.value, vs.hysteresis?.value, vs.sorryServer?.ip, vs.sorryServer?.port, vs.lbKind?.value]).toEqual([5, 2, 1, '10.1.0.99', 8080, 'DR']);
    const checks = vs.realServers[0].checkers;
    expect(checks.map((x) => x.type)).toEqual(['PING_CHECK', 'UDP_CHECK', 'DNS_CHECK']);
    expect([checks[0].delayLoop?.value, checks[1].connectPort?.value, checks[2].dnsType?.value, checks[2].dnsName?.value]).toEqual([9, 53, 'A', 'example.org']);
  });

  it('nopreempt with state MASTER is cleared, as keepalived does, with a warning', () => {
    const c = parseKeepalivedConf(conf('vrrp_instance V {\n state MASTER\n nopreempt\n virtual_router_id 9\n}\n'));
    expect(c.instances[0].nopreempt).toBeNull();
    expect(c.problems).toMatchObject([{ line: 3, severity: 'warning', message: expect.stringContaining('nopreempt will not work with initial state MASTER') }]);
  });

  it('a continued line and a block opened on the next line', () => {
    const c = parseKeepalivedConf(conf('vrrp_instance VI_1\n{\n  virtual_router_id \\\n     42\n  priority 99 }\n'));
    expect(c.problems).toEqual([]);
    expect([c.instances[0].vrid?.value, c.instances[0].vrid?.at.line, c.instances[0].priority?.value]).toEqual([42, 3, 99]);
  });

  it('parameters ($NAME=value, ${NAME}, multi-line) and @id lines (skipped without keepalived -i)', () => {
    const c = parseKeepalivedConf(conf(`$PRIO=130
$VIPS=10.0.0.100 \\
  10.0.0.101
vrrp_instance VI_1 {
  virtual_router_id 51
  priority \${PRIO}
  @d2 priority 90
  @^d2 advert_int 2
  virtual_ipaddress {
    $VIPS
  }
}
`));
    expect(c.instances[0].priority?.value).toBe(130);
    expect(c.instances[0].advertInt?.value).toBe(2);
    expect(c.instances[0].vips.map((v) => v.value)).toEqual(['10.0.0.100', '10.0.0.101']);
    expect(c.problems).toMatchObject([{ severity: 'note', line: 7 }]);
    expect(parseKeepalivedConf(conf('@d2 global_defs { router_id d2 }\n'), { configId: 'd2' }).routerId?.value).toBe('d2');
  });
});

describe('include', () => {
  it('relative to the including file, with globs and braces, sorted; nested includes; missing ones warned', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'conf.d'));
    mkdirSync(join(dir, 'conf.d', 'sub'));
    writeFileSync(join(dir, 'conf.d', 'b-vs.conf'), 'virtual_server 10.0.0.100 80 {\n  delay_loop 4\n  include sub/rs.conf\n}\n');
    writeFileSync(join(dir, 'conf.d', 'a-vrrp.conf'), 'vrrp_instance VI_1 {\n  virtual_router_id 51\n}\n');
    writeFileSync(join(dir, 'conf.d', 'sub', 'rs.conf'), 'real_server 10.1.0.21 80 {\n  TCP_CHECK {\n  }\n}\n');
    writeFileSync(join(dir, 'conf.d', 'ignored.txt'), 'garbage {{{');
    const main = conf('global_defs { router_id x }\ninclude conf.d/*.conf\ninclude {conf.d,other}/none-*.conf\n', 'keepalived.conf', dir);
    const c = parseKeepalivedConf(main);
    expect(c.files.map((f) => relative(dir, f))).toEqual(['keepalived.conf', 'conf.d/a-vrrp.conf', 'conf.d/b-vs.conf', 'conf.d/sub/rs.conf']);
    expect(c.instances[0].vrid?.at).toEqual({ file: join(dir, 'conf.d', 'a-vrrp.conf'), line: 2 });
    expect(c.virtualServers[0].realServers[0].checkers[0].at).toEqual({ file: join(dir, 'conf.d', 'sub', 'rs.conf'), line: 2 });
    expect(c.problems).toMatchObject([{ file: main, line: 3, severity: 'warning', message: expect.stringContaining('no file matches') }]);
  });

  it('an include loop is an error, not a hang', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'b.conf'), 'include a.conf\n');
    const a = conf('include b.conf\nglobal_defs { router_id a }\n', 'a.conf', dir);
    const c = parseKeepalivedConf(a);
    expect(c.routerId?.value).toBe('a');
    expect(c.problems).toMatchObject([{ severity: 'error', message: expect.stringContaining('include loop') }]);
  });
});

describe('errors: a clear message with file and line, never fatal', () => {
  it('braces, numbers, ranges, missing values', () => {
    const p = conf(`vrrp_instance VI_1 {
  virtual_router_id 300
  priority high
  advert_int
  state SLAVE
  virtual_ipaddress {
    10.0.0.100
}
}
}
virtual_server 10.0.0.100 80 {
  lb_kind XYZ
  real_server 10.1.0.21 http {
  }
`);
    const c = parseKeepalivedConf(p);
    const lines = c.problems.map((x) => [x.line, x.severity, x.message]);
    expect(lines).toEqual([
      [1, 'error', expect.stringContaining('no virtual_router_id')],
      [2, 'error', "'virtual_router_id 300': out of range [1, 255] (keepalived ignores it)"],
      [3, 'error', "'priority': \"high\" is not a whole number"],
      [4, 'error', "'advert_int' needs a number"],
      [5, 'error', 'state must be MASTER or BACKUP, not "SLAVE"'],
      [10, 'error', "extra '}' (no block is open here)"],
      [11, 'error', "missing '}': the block of 'virtual_server 10.0.0.100 80' opened here is never closed"],
      [12, 'error', 'lb_kind must be NAT, DR or TUN, not "XYZ"'],
      [13, 'error', 'real_server 10.1.0.21: "http" is not a port'],
    ]);
    expect(c.problems.every((x) => x.file === p)).toBe(true);
  });

  it('unknown keywords are reported once per block kind and skipped; known but irrelevant ones are quiet', () => {
    const c = parseKeepalivedConf(conf(`global_defs {
  notification_email { a@b.c }
  smtp_server 127.0.0.1
  frobnicate 1
  frobnicate 2
}
vrrp_instance VI_1 {
  virtual_router_id 1
  frobnicate 3
  notify_master /bin/true
}
vrrp_script chk { script "/bin/true" }
mystery_block { a b c }
`));
    expect(c.problems.map((x) => [x.line, x.message])).toEqual([
      [4, "unknown keyword 'frobnicate' in global_defs: skipped"],
      [9, "unknown keyword 'frobnicate' in vrrp_instance: skipped"],
      [13, "unknown keyword 'mystery_block' in the top level: skipped"],
    ]);
    expect(c.instances[0].vrid?.value).toBe(1);
  });

  it('--config naming no file is an input error (exit status 2 in the CLI)', () => {
    expect(() => loadConfigs([join(tmp(), 'missing.conf')])).toThrow(ConfigFileError);
    expect(() => loadConfigs([tmp()])).toThrow(/not a regular file/);
  });

  it('odd input never throws: binary noise, truncations and mutations of real configurations', () => {
    const seeds = [
      ...labScenarios().map((d) => fixture(`lab/${d}/conf/keepalived-d1.conf`)),
      conf('vrrp_instance V { virtual_router_id 1 authentication { auth_type PASS auth_pass "x y" } }\n'),
    ].map((p) => readFileSync(p, 'latin1'));
    let seed = 12345;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const dir = tmp();
    const specials = ['{', '}', '"', "'", '\\', '#', '!', '\n', '$', '${', '@', '~SEQ(', 'include ', 'include *', '\0', '\r', ' '];
    for (let k = 0; k < 400; k++) {
      const base = seeds[k % seeds.length];
      let text = base;
      const edits = 1 + rand(12);
      for (let e = 0; e < edits; e++) {
        const at = rand(text.length + 1);
        switch (rand(4)) {
          case 0: text = text.slice(0, at) + specials[rand(specials.length)] + text.slice(at); break;
          case 1: text = text.slice(0, at) + text.slice(at + 1 + rand(20)); break;
          case 2: text = text.slice(0, at); break;
          default: text = text.slice(0, at) + String.fromCharCode(rand(256)) + text.slice(at); break;
        }
      }
      const p = join(dir, `fuzz-${k}.conf`);
      writeFileSync(p, text, 'latin1');
      const c = parseKeepalivedConf(p);
      for (const pr of c.problems) {
        expect(typeof pr.message).toBe('string');
        expect(pr.line).toBeGreaterThanOrEqual(0);
      }
    }
    const noise = Buffer.alloc(4096);
    for (let i = 0; i < noise.length; i++) noise[i] = rand(256);
    const p = join(dir, 'noise.conf');
    writeFileSync(p, noise);
    expect(() => parseKeepalivedConf(p)).not.toThrow();
  });
});
