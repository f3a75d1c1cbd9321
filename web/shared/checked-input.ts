// Number boxes that check their own range before anything is sent, the same way in every figure.
//
// A value a box cannot take, or one the server refuses, is said in a sentence next to the box; the box is
// marked (aria-invalid, and aria-describedby naming the sentence) and shows the value in force again. The
// sentence stays while the figure goes on by itself (Auto, Play, training), so that it can be read, and
// goes with the first frame drawn after the student's next action in the figure.

import type { HostMessage, WidgetModel } from "../model";
import type { Command } from "./commands";
import { html, setAttr, setText } from "./dom";

/** What a box takes: the same bounds the server checks (src/dropout_playground/figures). */
export interface NumberRule {
  /** How a sentence names the box: "x₂", "Seed", "Training points". */
  name: string;
  min: number;
  max: number;
  /** The arrow keys' step. */
  step: number;
  /** Whole numbers only (a seed, a count); otherwise any decimal in range (the server rounds it). */
  whole?: boolean;
}

/** Options of a box: `send` takes a good value when the student is done with the box (Enter, or leaving
 * it); `owns` picks out the commands that carry this box's value, so that the server's refusal of one is
 * said next to it. */
export interface BoxOptions {
  send?: (value: number) => void;
  owns?: (command: Command) => boolean;
}

/** The "set" commands that carry `key`: what a box for that setting owns. */
export function setting(key: string): (command: Command) => boolean {
  return (command) => command.type === "set" && command[key] !== undefined;
}

const MINUS = "\u2212";

/** A number as a sentence writes it: 4,294,967,295 and −5, with a true minus sign. */
function written(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 10 }).replace("-", MINUS);
}

/** What the box takes, as a sentence says it; `number` when what was typed is no number at all. */
function allowed(rule: NumberRule, number = false): string {
  if (rule.whole) return `a whole number from ${written(rule.min)} to ${written(rule.max)}`;
  return `${number ? "a number " : ""}between ${written(rule.min)} and ${written(rule.max)}`;
}

/** A sentence from the server made to read like one on the page: capital first word, full stop. A first
 * word of one letter or with a subscript names a quantity (p, x₂, T) and keeps its case. */
function asSentence(text: string): string {
  const trimmed = text.trim();
  const first = /^[a-z]{2,}\b/.test(trimmed) ? trimmed[0]!.toUpperCase() + trimmed.slice(1) : trimmed;
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

// Every box knows its own checks; the figure's CheckedInputs finds them through their elements.
const boxes = new WeakMap<HTMLInputElement, CheckedNumber>();
// Orders refusals and the student's actions: a refusal goes with a frame after a later action.
let sequence = 0;
let uid = 0;
// Keys that move about or change nothing: not an action on the figure.
const MOVING_ON = ["Tab", "Shift", "Control", "Alt", "Meta", "Escape"];

export class CheckedNumber {
  /** The sentence next to the box: the caller places it in the box's field, right after the box. */
  readonly message: HTMLElement;
  /** When the student last committed a value here: of two boxes that send one command, the later is meant. */
  changedAt = 0;
  /** When the shown refusal was made (0: none). */
  refusedAt = 0;
  private inForce = "";

  constructor(
    readonly input: HTMLInputElement,
    private rule: NumberRule,
    private readonly options: BoxOptions = {},
  ) {
    this.message = html("span", { class: "field-refusal", id: `field-refusal-${++uid}`, "aria-live": "polite" });
    this.limit(rule.min, rule.max);
    boxes.set(input, this);
    const { send } = options;
    if (send) {
      input.addEventListener("change", () => {
        this.changedAt = ++sequence;
        // An emptied box is no value: it shows the one in force again.
        if (input.value.trim() === "" && !input.validity.badInput) return void (input.value = this.inForce);
        const value = this.take();
        if (value !== null) send(value);
      });
    }
    input.addEventListener("blur", () => {
      if (input.value.trim() === "" && !input.validity.badInput) input.value = this.inForce;
    });
  }

  /** New bounds (a figure may say them in its frame); the element carries them for the arrow keys. */
  limit(min: number, max: number): void {
    this.rule = { ...this.rule, min, max };
    setAttr(this.input, "min", min);
    setAttr(this.input, "max", max);
    setAttr(this.input, "step", this.rule.step);
  }

  owns(command: Command): boolean {
    return this.options.owns?.(command) ?? false;
  }

  /** The value the figure uses now, as the box writes it; shown unless the student is typing in the box. */
  show(text: string): void {
    this.inForce = text;
    if (document.activeElement !== this.input) this.input.value = text;
  }

  /** The number typed, if the box can take it; otherwise null, and the refusal is said next to the box. */
  take(): number | null {
    const text = this.input.value.trim();
    const problem = this.problem(text);
    if (problem !== null) {
      this.refuse(problem);
      return null;
    }
    this.clear();
    return Number(text);
  }

  /** Say `sentence` next to the box, mark the box, and put the value in force back in it. */
  refuse(sentence: string): void {
    setText(this.message, sentence);
    this.refusedAt = ++sequence;
    this.input.setAttribute("aria-invalid", "true");
    this.describedBy(true);
    this.input.value = this.inForce;
    this.fieldShowsRefusal();
  }

  clear(): void {
    if (this.refusedAt === 0) return;
    this.refusedAt = 0;
    setText(this.message, "");
    this.input.removeAttribute("aria-invalid");
    this.describedBy(false);
    this.fieldShowsRefusal();
  }

  private problem(text: string): string | null {
    const { name } = this.rule;
    const range = allowed(this.rule, true);
    if (this.input.validity.badInput) return `${name} must be ${range}; what you typed is not a number.`;
    if (text === "") return `${name} must be ${range}; the box is empty.`;
    const value = Number(text);
    const whole = !this.rule.whole || Number.isInteger(value);
    if (Number.isFinite(value) && whole && value >= this.rule.min && value <= this.rule.max) return null;
    return `${name} must be ${allowed(this.rule)}; you typed ${text.replace(/-/g, MINUS)}.`;
  }

  /** Adds or removes the message's id among the box's descriptions, keeping any others it has. */
  private describedBy(on: boolean): void {
    const named = (this.input.getAttribute("aria-describedby") ?? "").split(/\s+/);
    const others = named.filter((id) => id !== "" && id !== this.message.id);
    const ids = on ? [...others, this.message.id] : others;
    if (ids.length > 0) this.input.setAttribute("aria-describedby", ids.join(" "));
    else this.input.removeAttribute("aria-describedby");
  }

  /** A field showing a refusal wraps, so that the sentence takes a line of its own under the box. */
  private fieldShowsRefusal(): void {
    const field = this.message.parentElement;
    if (!field) return;
    const messages = [...field.querySelectorAll(":scope > .field-refusal")];
    field.classList.toggle("has-refusal", messages.some((message) => message.textContent !== ""));
  }
}

/**
 * The checked boxes of one figure (its element `el`): the server's refusal of a command a box sent is said
 * next to that box, and every refusal goes with the first frame drawn after the student's next action.
 */
export class CheckedInputs {
  /** The figure's model as its Commands should use it: the same model, with each command noted as it goes. */
  readonly model: WidgetModel;
  private readonly sent = new Map<number, Command>();
  private lastAction = 0;

  constructor(
    private readonly el: HTMLElement,
    model: WidgetModel,
  ) {
    this.model = new Proxy(model, {
      get: (target, key) => {
        if (key === "send") return (content: unknown) => (this.note(content), target.send(content));
        const value: unknown = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    // The student's actions: anything done in the figure but typing in a box (that counts once committed).
    const act = (event: Event): void => {
      if (event.type !== "change" && boxes.has(event.target as HTMLInputElement)) return;
      if (event instanceof KeyboardEvent && MOVING_ON.includes(event.key)) return;
      this.lastAction = ++sequence;
    };
    for (const type of ["pointerdown", "keydown", "change"]) el.addEventListener(type, act, { capture: true });
    // Every figure counts the frames it has drawn on its element: a new count is a frame drawn.
    const frames = new MutationObserver(() => this.frameDrawn());
    frames.observe(el, { attributes: true, attributeFilter: ["data-frames"] });
  }

  /** An error for a command one of the boxes sent is said next to that box: true. Otherwise false, and the
   * view says it as before. */
  claim(message: HostMessage): boolean {
    if (message.type !== "error" || message.id === null) return false;
    const command = this.sent.get(message.id);
    if (!command) return false;
    const owner = this.owners(command).sort((a, b) => b.changedAt - a.changedAt)[0];
    if (!owner) return false;
    owner.refuse(asSentence(message.message));
    return true;
  }

  private boxes(): CheckedNumber[] {
    const found = [...this.el.querySelectorAll("input")].map((input) => boxes.get(input));
    return found.filter((box): box is CheckedNumber => box !== undefined);
  }

  private owners(command: Command): CheckedNumber[] {
    return this.boxes().filter((box) => box.owns(command));
  }

  private note(content: unknown): void {
    if (typeof content !== "object" || content === null) return;
    const command = content as Command & { id?: unknown };
    if (typeof command.id !== "number" || this.owners(command).length === 0) return;
    this.sent.set(command.id, command);
    // An answer comes within a few commands; the oldest notes are no longer needed.
    for (const id of this.sent.keys()) if (this.sent.size > 16) this.sent.delete(id);
  }

  private frameDrawn(): void {
    for (const box of this.boxes()) if (box.refusedAt !== 0 && box.refusedAt < this.lastAction) box.clear();
  }
}
