/**
 * Who may use a served Lab: only pages from this server's own origin, holding the random token
 * printed at start. The Host check defeats DNS rebinding (a foreign name resolving to 127.0.0.1),
 * the Origin check defeats other sites' pages opening our WebSocket, and the token defeats other
 * local users and programs.
 */
import type { IncomingMessage } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';

export class Access {
  readonly token = randomBytes(24).toString('base64url');
  private readonly hosts: Set<string>;
  readonly cookieName: string;

  constructor(readonly port: number) {
    this.hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    // Cookies are shared by every port of a host: the name keeps two servers' tokens apart.
    this.cookieName = `gaitlab_token_${port}`;
  }

  /** A page or asset request: right Host, and the token in the query or the cookie set with the page. */
  allowsRequest(request: IncomingMessage): boolean {
    return this.hostAllowed(request) && (this.matches(queryToken(request)) || this.matches(cookieValue(request, this.cookieName)));
  }

  /** A WebSocket: right Host, opened by a page of exactly this origin (scheme, host and port), and the token in the query. */
  allowsSocket(request: IncomingMessage): boolean {
    return this.hostAllowed(request) && request.headers.origin === `http://${request.headers.host}` && this.matches(queryToken(request));
  }

  /** Lets the page's own assets load without the token in each URL; never readable by scripts. */
  cookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }

  private hostAllowed(request: IncomingMessage): boolean {
    return this.hosts.has(request.headers.host ?? '');
  }

  private matches(candidate: string | null): boolean {
    if (candidate === null) return false;
    const given = Buffer.from(candidate);
    const expected = Buffer.from(this.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

function queryToken(request: IncomingMessage): string | null {
  return new URL(request.url ?? '/', 'http://x').searchParams.get('token');
}

function cookieValue(request: IncomingMessage, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}
