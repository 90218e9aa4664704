// Just enough of keepalived.conf for the tests: virtual servers, their delay_loop, and each real
// server's checkers.

export interface ConfRealServer { ip: string; port: number; checkers: string[] }
export interface ConfVirtualServer { vip: string; port: number; protocol: 'TCP' | 'UDP'; lbKind: string | null; delayLoop: number; lbAlgo: string | null; quorum: number | null; sorry: string | null; realServers: ConfRealServer[] }

function blocks(text: string, keyword: string): { head: string; body: string }[] {
  const out: { head: string; body: string }[] = [];
  const re = new RegExp(`(^|\\n)\\s*${keyword}\\b([^{\\n]*)\\{`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let depth = 1, i = re.lastIndex;
    for (; i < text.length && depth > 0; i++) { if (text[i] === '{') depth++; else if (text[i] === '}') depth--; }
    out.push({ head: m[2].trim(), body: text.slice(re.lastIndex, i - 1) });
  }
  return out;
}

export function virtualServers(conf: string): ConfVirtualServer[] {
  return blocks(conf, 'virtual_server').map(({ head, body }) => {
    const [vip, port] = head.split(/\s+/);
    const sorry = /sorry_server\s+(\S+)\s+(\d+)/.exec(body);
    return {
      vip, port: Number(port),
      protocol: /protocol\s+UDP/i.test(body) ? 'UDP' : 'TCP',
      lbKind: /lb_kind\s+(\S+)/.exec(body)?.[1]?.toUpperCase() ?? null,
      delayLoop: Number(/delay_loop\s+(\d+)/.exec(body)?.[1] ?? 60),
      lbAlgo: /lb_algo\s+(\S+)/.exec(body)?.[1] ?? null,
      quorum: /quorum\s+(\d+)/.test(body) ? Number(/quorum\s+(\d+)/.exec(body)![1]) : null,
      sorry: sorry ? `${sorry[1]}:${sorry[2]}` : null,
      realServers: blocks(body, 'real_server').map((rs) => {
        const [ip, rport] = rs.head.split(/\s+/);
        return { ip, port: Number(rport), checkers: ['TCP_CHECK', 'HTTP_GET', 'SSL_GET', 'SMTP_CHECK', 'MISC_CHECK', 'PING_CHECK', 'UDP_CHECK', 'DNS_CHECK'].filter((c) => new RegExp(`\\b${c}\\b`).test(rs.body)) };
      }),
    };
  });
}
