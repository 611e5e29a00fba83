// One POST to a checked target: connects to the address that was checked (no second DNS lookup), keeps
// the host name for TLS and the Host header, gives up after the timeout, and never follows a redirect.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './address-guard.ts';

export interface PostResult {
  /** Null when no answer came (network error or timeout). */
  status: number | null;
  ms: number;
  error: string | null;
}

export function postWebhook(target: CheckedTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult> {
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const send = target.url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve) => {
    const request = send(target.url, {
      method: 'POST',
      lookup: pinned,
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'User-Agent': 'Troika-Webhooks/1', ...headers },
      timeout: timeoutMs,
    }, (response) => {
      // The answer's body is not needed: read and drop it so the socket is freed.
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? null, ms: ms(), error: null }));
      response.on('error', (e) => resolve({ status: response.statusCode ?? null, ms: ms(), error: e.message }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.on('error', (e) => resolve({ status: null, ms: ms(), error: e.message.slice(0, 400) }));
    request.end(body);
  });
}
