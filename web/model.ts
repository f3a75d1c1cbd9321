// The one interface every view is written against: anywidget's model (get / set / save_changes / on /
// send). In a notebook anywidget provides it; on the standalone page SocketModel provides it over the
// figure's WebSocket, so a view runs unchanged in both.

import { decodeFrame } from "./wire";

export type Listener = (...args: any[]) => void;

export interface WidgetModel {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  save_changes(): void;
  on(event: string, callback: Listener): void;
  off?(event?: string | null, callback?: Listener | null): void;
  send(content: unknown): void;
}

/** Messages a host delivers to a view on "msg:custom", besides whatever the figure defines. */
export type HostMessage =
  | { type: "error"; message: string; id: number | null }
  | { type: "connection"; status: "lost"; retryInSeconds: number; reason: string }
  | { type: "connection"; status: "restored" };

const FIRST_RETRY_SECONDS = 1;
const LAST_RETRY_SECONDS = 30;

/**
 * A model backed by a WebSocket session. The server's frames become the "frame" attribute; its error
 * messages and the state of the connection arrive as custom messages. If the server goes away the
 * model keeps trying to reconnect, less and less often, from the address `address()` gives at that
 * moment (so a new session starts from the settings last shown).
 */
export class SocketModel implements WidgetModel {
  private readonly state = new Map<string, unknown>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private socket: WebSocket | null = null;
  private retrySeconds = FIRST_RETRY_SECONDS;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private lost = false;
  private leaving = false;

  constructor(
    private readonly address: () => string,
    initial: Record<string, unknown> = {},
  ) {
    for (const [name, value] of Object.entries(initial)) this.state.set(name, value);
    // A page being left closes its socket: that is not a lost connection worth announcing.
    addEventListener("pagehide", () => (this.leaving = true));
    addEventListener("pageshow", () => (this.leaving = false));
    addEventListener("online", () => this.retryNow());
    this.connect();
  }

  get(name: string): unknown {
    return this.state.get(name);
  }

  set(name: string, value: unknown): void {
    if (this.state.get(name) === value) return;
    this.state.set(name, value);
    this.emit(`change:${name}`, value);
  }

  save_changes(): void {
    // Nothing to synchronise: the settings that matter to the server travel as commands.
  }

  on(event: string, callback: Listener): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(callback);
  }

  off(event?: string | null, callback?: Listener | null): void {
    if (!event) return this.listeners.clear();
    if (!callback) return void this.listeners.delete(event);
    this.listeners.get(event)?.delete(callback);
  }

  send(content: unknown): void {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(content));
      return;
    }
    const id = typeof content === "object" && content && "id" in content ? (content.id as number) : null;
    this.custom({ type: "error", message: "not connected to the playground server", id });
  }

  private emit(event: string, ...args: unknown[]): void {
    for (const callback of [...(this.listeners.get(event) ?? [])]) callback(...args);
  }

  private custom(message: HostMessage): void {
    this.emit("msg:custom", message);
  }

  private connect(): void {
    this.retryTimer = null;
    const socket = new WebSocket(this.address());
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    socket.onopen = () => {
      this.retrySeconds = FIRST_RETRY_SECONDS;
      if (this.lost) {
        this.lost = false;
        this.custom({ type: "connection", status: "restored" });
      }
    };
    socket.onmessage = (event: MessageEvent) => this.receive(event.data);
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket || this.leaving) return;
      this.socket = null;
      this.lost = true;
      const wait = this.retrySeconds;
      this.retrySeconds = Math.min(LAST_RETRY_SECONDS, this.retrySeconds * 2);
      this.custom({ type: "connection", status: "lost", retryInSeconds: wait, reason: event.reason });
      this.retryTimer = setTimeout(() => this.connect(), wait * 1000);
    };
  }

  private retryNow(): void {
    if (this.retryTimer === null) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  private receive(data: unknown): void {
    if (data instanceof ArrayBuffer) {
      try {
        this.state.set("frame", decodeFrame(data));
      } catch (error) {
        this.custom({ type: "error", message: `a frame could not be read: ${String(error)}`, id: null });
        return;
      }
      this.emit("change:frame", this.state.get("frame"));
      return;
    }
    let message: { type?: unknown; message?: unknown; id?: unknown };
    try {
      message = JSON.parse(String(data)) as typeof message;
    } catch {
      return;
    }
    if (message.type === "error") {
      const id = typeof message.id === "number" ? message.id : null;
      this.custom({ type: "error", message: String(message.message), id });
    }
  }
}
