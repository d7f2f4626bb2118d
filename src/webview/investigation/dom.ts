// Small DOM helpers. Text from the logs is hostile, so children are only ever text nodes made with
// `textContent` or elements made here; nothing is parsed as HTML. Styles are set through the CSSOM
// (the webview's CSP forbids style attributes in markup, not `element.style`).

type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  text?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  apply(node, props);
  append(node, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number | undefined> = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function apply(node: HTMLElement, props: Props): void {
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    node.addEventListener(type, listener as EventListener);
  }
}

function append(node: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** Replaces a node's children. */
export function replaceChildren(node: Node, ...children: Child[]): void {
  clear(node);
  append(node, children);
}

export function isMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/** Ctrl on Windows and Linux, Cmd on macOS: the modifier that adds a row to a multi-selection. */
export function isToggleModifier(event: MouseEvent | KeyboardEvent): boolean {
  return isMac() ? event.metaKey : event.ctrlKey;
}

const charWidths = new Map<string, number>();

/**
 * The average width of a character in the font `reference` is drawn with, measured on a sample
 * that looks like the logs' values (ARNs, IPs), to fit text into a column by cutting its middle.
 */
export function averageCharWidth(reference: Element): number {
  const style = getComputedStyle(reference);
  const font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const known = charWidths.get(font);
  if (known !== undefined) return known;
  const context = document.createElement('canvas').getContext('2d');
  const sample = 'arn:aws:sts::111122223333:assumed-role/Admin/alice 10.0.0.1';
  if (!context) return 7.5;
  context.font = font;
  const width = Math.max(4, context.measureText(sample).width / sample.length);
  charWidths.set(font, width);
  return width;
}
