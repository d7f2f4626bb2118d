// The Investigation view's HTML document: a strict CSP (no inline script or style, no remote
// content; the one script runs by nonce), the stylesheet and the bundle. Pure, so a unit test reads
// it without an editor.
import { randomBytes } from 'node:crypto';

export interface InvestigationHtmlOptions {
  /** The webview's `cspSource` (the origin its local resources are served from). */
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri` of dist/webview/investigation.js and of the stylesheet. */
  scriptUri: string;
  styleUri: string;
  /** The investigation's name, for the document title. */
  title: string;
}

/** A fresh nonce for each HTML document: 16 random bytes, base64url (letters, digits, - and _). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64url');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or a double-quoted attribute value, safe in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

export function investigationHtml(opts: InvestigationHtmlOptions): string {
  // The CSP source and nonce go into the policy as they are: refuse anything that could end a
  // directive or the attribute rather than escape it. A source may list several origins, separated
  // by spaces, and keywords in single quotes ('self'): VS Code's web workbench gives both.
  if (/[;"<>\r\n\t]/.test(opts.cspSource) || !/^[A-Za-z0-9+/_=-]+$/.test(opts.nonce)) {
    throw new Error('investigationHtml: the CSP source or the nonce holds characters a policy cannot carry');
  }
  const csp = [
    "default-src 'none'",
    `img-src ${opts.cspSource} data:`,
    `style-src ${opts.cspSource}`,
    `script-src 'nonce-${opts.nonce}'`,
    `font-src ${opts.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(opts.styleUri)}">
<title>${escapeHtml(opts.title)}</title>
</head>
<body>
<div id="app" class="app" aria-busy="true"><noscript>The Investigation view needs JavaScript.</noscript></div>
<script nonce="${escapeHtml(opts.nonce)}" src="${escapeHtml(opts.scriptUri)}"></script>
</body>
</html>
`;
}
