// The one interface every view is written against: anywidget's model (get / set / save_changes / on /
// send). In a notebook anywidget provides it; on the standalone page SocketModel provides it over the
// figure's WebSocket, so a view runs unchanged in both.

import type { Reconnecting, ServerConnection } from "./connection";
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

/** The listeners of a model's events ("change:<name>", "msg:custom"), as both hosts' models keep them. */
export class Listeners {
  private readonly byEvent = new Map<string, Set<Listener>>();

  on(event: string, callback: Listener): void {
    let set = this.byEvent.get(event);
    if (!set) this.byEvent.set(event, (set = new Set()));
    set.add(callback);
  }

  off(event?: string | null, callback?: Listener | null): void {
    if (!event) return this.byEvent.clear();
    if (!callback) return void this.byEvent.delete(event);
    this.byEvent.get(event)?.delete(callback);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const callback of [...(this.byEvent.get(event) ?? [])]) callback(...args);
  }
}

/** Messages a host delivers to a view on "msg:custom", besides whatever the figure defines. */
export type HostMessage =
  | { type: "error"; message: string; id: number | null }
  /** The session is open (at first, or again after a loss): its first frame follows. */
  | { type: "connection"; status: "open" }
  | { type: "connection"; status: "lost"; reason: string }
  | ProgressMessage;

/** How far the server has got building the figure's first frame (replaying a long link). */
export interface ProgressMessage {
  type: "progress";
  /** A sentence without its full stop: "Replaying 19,800 training steps". */
  message: string;
  /** From 0 to 1. */
  fraction: number;
  /** The settings being built, as the first frame's values.settings will give them. */
  settings: Record<string, unknown>;
}

// A figure whose session fails again and again while the server answers (refused, or failing to build)
// waits longer each time before its next try, so that it never loops against a server that is up.
const FIRST_BACKOFF_SECONDS = 1;
const LAST_BACKOFF_SECONDS = 30;

/**
 * A model backed by a WebSocket session. The server's frames become the "frame" attribute; its error
 * and progress messages and the state of the connection arrive as custom messages. A lost connection is
 * reported to the page's `connection`, which asks this model to reconnect once the server answers again,
 * from the address `address()` gives at that moment (so a new session starts from the settings last shown).
 */
export class SocketModel implements WidgetModel, Reconnecting {
  private readonly state = new Map<string, unknown>();
  private readonly listeners = new Listeners();
  private socket: WebSocket | null = null;
  private leaving = false;
  private framesThisSession = 0;
  private failures = 0; // sessions in a row that ended before their first frame
  private notBefore = 0;

  constructor(
    private readonly address: () => string,
    initial: Record<string, unknown>,
    private readonly connection: ServerConnection,
    /** Whether the student can see the figure: those in view come back first. */
    readonly inView: () => boolean = () => true,
  ) {
    for (const [name, value] of Object.entries(initial)) this.state.set(name, value);
    // A page being left closes its socket: that is not a lost connection worth announcing.
    addEventListener("pagehide", () => (this.leaving = true));
    addEventListener("pageshow", () => (this.leaving = false));
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
    this.listeners.on(event, callback);
  }

  off(event?: string | null, callback?: Listener | null): void {
    this.listeners.off(event, callback);
  }

  send(content: unknown): void {
    const socket = this.socket;
    if (socket?.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(content));
      return;
    }
    // A socket on its way out (the server has said goodbye) is a lost connection already, though its
    // close is yet to be reported: the command waits with everything else for the connection to be back.
    if (socket && socket.readyState >= WebSocket.CLOSING) return this.dropped(socket, "");
    const id = typeof content === "object" && content && "id" in content ? (content.id as number) : null;
    this.custom({ type: "error", message: "not connected to the playground server", id });
  }

  reconnect(now: boolean): void {
    if (this.socket !== null) return;
    if (!now && performance.now() < this.notBefore) return;
    this.connect();
  }

  private emit(event: string, ...args: unknown[]): void {
    this.listeners.emit(event, ...args);
  }

  private custom(message: HostMessage): void {
    this.emit("msg:custom", message);
  }

  private connect(): void {
    const socket = new WebSocket(this.address());
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    this.framesThisSession = 0;
    socket.onopen = () => {
      this.custom({ type: "connection", status: "open" });
      this.connection.openedBy(this);
    };
    socket.onmessage = (event: MessageEvent) => this.receive(event.data);
    socket.onclose = (event: CloseEvent) => this.dropped(socket, event.reason);
  }

  private dropped(socket: WebSocket, reason: string): void {
    if (this.socket !== socket || this.leaving) return;
    this.socket = null;
    socket.onmessage = null; // nothing more from a session given up
    if (this.framesThisSession > 0) this.failures = 0;
    else this.failures++;
    const wait = this.failures < 2 ? 0 : Math.min(LAST_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** (this.failures - 2));
    this.notBefore = performance.now() + wait * 1000;
    this.custom({ type: "connection", status: "lost", reason });
    this.connection.lostBy(this);
  }

  private receive(data: unknown): void {
    if (data instanceof ArrayBuffer) {
      try {
        this.state.set("frame", decodeFrame(data));
      } catch (error) {
        this.custom({ type: "error", message: `a frame could not be read: ${String(error)}`, id: null });
        return;
      }
      if (this.framesThisSession++ === 0) this.connection.drawnBy(this);
      this.emit("change:frame", this.state.get("frame"));
      return;
    }
    let message: { type?: unknown; message?: unknown; id?: unknown; fraction?: unknown; settings?: unknown };
    try {
      message = JSON.parse(String(data)) as typeof message;
    } catch {
      return;
    }
    if (message.type === "error") {
      const id = typeof message.id === "number" ? message.id : null;
      this.custom({ type: "error", message: String(message.message), id });
    } else if (message.type === "progress" && typeof message.fraction === "number") {
      const settings = typeof message.settings === "object" && message.settings ? message.settings : {};
      this.custom({
        type: "progress",
        message: String(message.message),
        fraction: message.fraction,
        settings: settings as Record<string, unknown>,
      });
    }
  }
}
