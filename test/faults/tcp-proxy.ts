/**
 * A TCP proxy on 127.0.0.1 between the bot and a real server, for outages that touch nothing but
 * this test's own connections:
 * - `cut("refuse")`: the server restarting: every connection dropped, new ones refused (port closed);
 * - `cut("blackhole")`: the server gone from the network: every connection dropped, new ones accepted
 *   and then never answered, so only the client's own timeouts end the wait;
 * - `freeze()`: the link going silent (a partition, a frozen host): open connections stay open but
 *   nothing passes either way, and new ones are black-holed.
 * `restore()` lets new connections through again.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";

export type CutMode = "refuse" | "blackhole";

interface Pair {
  client: Socket;
  upstream: Socket;
}

export class TcpProxy {
  /** Connections opened through the proxy (forwarded to the server). */
  forwarded = 0;
  /** Connections that reached the proxy while it black-holed them. */
  blackholed = 0;
  port = 0;
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  private readonly frozen = new Set<Pair>();
  private readonly held = new Set<Socket>();
  private mode: CutMode | "open" = "open";
  private listening = false;

  private constructor(
    private readonly target: { host: string; port: number },
    private readonly host = "127.0.0.1",
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts a proxy on a free loopback port in front of `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.listen(0);
    proxy.port = (proxy.server.address() as { port: number }).port;
    return proxy;
  }

  /** `url` (postgres://user@host:port/db?...) pointed at the proxy instead. */
  urlFor(url: string): string {
    const through = new URL(url);
    through.hostname = this.host;
    through.port = String(this.port);
    return through.toString();
  }

  /** Connections passing data through the proxy right now. */
  get openConnections(): number {
    return this.pairs.size;
  }

  /** Drops every connection; then new ones are refused (port closed) or black-holed (accepted, never answered). */
  async cut(mode: CutMode = "refuse"): Promise<void> {
    this.mode = mode;
    this.dropAll();
    if (mode === "refuse" && this.listening) {
      this.listening = false;
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
    if (mode === "blackhole" && !this.listening) await this.listen(this.port);
  }

  /** Open connections go silent (kept open, nothing passes); new ones are black-holed. */
  async freeze(): Promise<void> {
    this.mode = "blackhole";
    for (const pair of this.pairs) {
      pair.client.unpipe(pair.upstream);
      pair.upstream.unpipe(pair.client);
      pair.client.pause();
      pair.upstream.pause();
      this.frozen.add(pair);
    }
    this.pairs.clear();
    if (!this.listening) await this.listen(this.port);
  }

  /**
   * Lets new connections through again. Connections black-holed or frozen until now are dropped:
   * whatever still waits on them fails as on a connection the server ended.
   */
  async restore(): Promise<void> {
    this.mode = "open";
    this.dropAll();
    if (!this.listening) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.cut("refuse");
  }

  /** Drops every connection the proxy holds, forwarding, frozen or black-holed. */
  private dropAll(): void {
    for (const pair of [...this.pairs, ...this.frozen]) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
    this.frozen.clear();
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, this.host, () => {
        this.server.off("error", reject);
        this.listening = true;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    client.on("error", () => {});
    if (this.mode !== "open") {
      this.blackholed++;
      client.pause();
      this.held.add(client);
      client.on("close", () => this.held.delete(client));
      return;
    }
    this.forwarded++;
    const upstream = tcpConnect(this.target.port, this.target.host);
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    upstream.on("error", () => client.destroy());
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", drop);
    upstream.on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
