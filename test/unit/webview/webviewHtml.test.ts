// The Investigation view's HTML: a strict CSP, the nonce on the one script, and a title that cannot
// break out of the document.
import * as assert from 'node:assert/strict';
import { escapeHtml, investigationHtml, makeNonce } from '../../../src/extension/investigation/webviewHtml';

const base = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abcDEF123_-',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/investigation.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/investigation.css',
  title: 'incident.ctlens',
};

describe('investigation view: webview HTML', () => {
  it('sets the strict CSP: nothing by default, the script only by nonce, styles and fonts only from the webview', () => {
    const html = investigationHtml(base);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    assert.equal(
      csp,
      `default-src 'none'; img-src ${base.cspSource} data:; style-src ${base.cspSource}; script-src 'nonce-${base.nonce}'; font-src ${base.cspSource};`,
    );
    assert.doesNotMatch(csp ?? '', /unsafe-inline|unsafe-eval|\*/);
  });

  it('loads one script, with the nonce, and the stylesheet; no inline script, style or remote URL', () => {
    const html = investigationHtml(base);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, new RegExp(`<script nonce="${base.nonce}" src="${base.scriptUri.replace(/[.+/]/g, '\\$&')}"></script>`));
    assert.match(html, /<link rel="stylesheet" href="[^"]*investigation\.css">/);
    assert.doesNotMatch(html, /style=|<style|onload=|onclick=/i);
    assert.doesNotMatch(html, /https?:\/\/(?!file\+\.vscode-resource)/);
    assert.match(html, /<div id="app"/);
  });

  it('escapes the title, so a hostile file name stays text', () => {
    const html = investigationHtml({ ...base, title: '</title><script>alert(1)</script>&"\'' });
    assert.match(html, /<title>&lt;\/title&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;&amp;&quot;&#39;<\/title>/);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.equal(escapeHtml('<a href="x">&'), '&lt;a href=&quot;x&quot;&gt;&amp;');
  });

  it('refuses a CSP source or nonce that could end a directive', () => {
    assert.throws(() => investigationHtml({ ...base, cspSource: "x; script-src 'unsafe-inline'" }));
    assert.throws(() => investigationHtml({ ...base, nonce: 'a" onload="x' }));
    assert.throws(() => investigationHtml({ ...base, cspSource: 'https://a.example\nscript-src *' }));
    // Several origins, as the web workbench gives them, are one source list.
    assert.match(investigationHtml({ ...base, cspSource: 'https://*.vscode-cdn.net http://127.0.0.1:8080' }), /style-src https:\/\/\*\.vscode-cdn\.net http:\/\/127\.0\.0\.1:8080;/);
  });

  it('makes a fresh nonce each time, of 128 random bits', () => {
    const a = makeNonce();
    const b = makeNonce();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9_-]{22}$/);
    assert.doesNotThrow(() => investigationHtml({ ...base, nonce: a }));
  });
});
