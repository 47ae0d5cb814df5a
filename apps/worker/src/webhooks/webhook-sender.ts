import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import { checkWebhookUrl, isAllowListed, isInternalAddress, type EgressPolicy } from '#store';

/** What a delivery attempt came to. `error` is generic (shown to the organization); `detail` is for the worker's log only. */
export interface SendOutcome {
  statusCode: number | null;
  error: string | null;
  detail: string | null;
  /** The egress rules refused the target: retrying cannot help. */
  refused?: boolean;
}

const REFUSED = 'target address not allowed';

class TargetRefused extends Error {}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A dns.lookup for the HTTP client that refuses internal addresses. The socket connects to the
 * address this returns, so the address checked is the address connected: a host name that
 * resolved to a public address at registration and to 127.0.0.1 now (DNS rebinding) is refused.
 */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const internal = addresses.find((a) => isInternalAddress(a.address));
    if (internal || addresses.length === 0) return callback(new TargetRefused(`${hostname} resolves to ${internal?.address ?? 'nothing'}`), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/**
 * POSTs a webhook body with the egress rules applied again at delivery: the scheme, the address
 * connected, no redirects (a 3xx is a failed attempt), a time limit, and the answer's body unread.
 */
export function sendWebhook(rawUrl: string, headers: Record<string, string>, body: string, policy: EgressPolicy, timeoutMs: number): Promise<SendOutcome> {
  let url: URL;
  try {
    url = checkWebhookUrl(rawUrl, policy);
  } catch (err) {
    return Promise.resolve({ statusCode: null, refused: true, error: REFUSED, detail: (err as Error).message });
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const trusted = isAllowListed(host, policy);
  // A literal IP address is connected without a lookup, so it is judged here.
  if (!trusted && isIP(host) && isInternalAddress(host)) {
    return Promise.resolve({ statusCode: null, refused: true, error: REFUSED, detail: `${host} is internal` });
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        signal: AbortSignal.timeout(timeoutMs),
        agent: false,
        ...(trusted ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        resolve({ statusCode: status, error: ok ? null : `receiver answered ${status}`, detail: status >= 300 && status < 400 ? 'redirects are not followed' : null });
      },
    );
    // The last word on the address: whatever path led here, the peer actually connected must be public.
    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        if (!trusted && socket.remoteAddress && isInternalAddress(socket.remoteAddress)) req.destroy(new TargetRefused(`connected to ${socket.remoteAddress}`));
      });
    });
    req.on('error', (err: Error) => {
      if (err instanceof TargetRefused) return resolve({ statusCode: null, refused: true, error: REFUSED, detail: err.message });
      const timedOut = err.name === 'AbortError' || err.name === 'TimeoutError';
      // Never the raw message to the organization: it would map the network behind the worker.
      resolve({ statusCode: null, error: timedOut ? 'timed out' : 'could not connect', detail: err.message });
    });
    req.end(body);
  });
}
