/* global document -- the probes run inside the webview page, through Playwright's evaluate */
// What an integration test can ask the harness to read or do in a webview, which the extension host
// cannot see: the test prints "[probe] NAME {json args}", the harness runs the probe with Playwright
// on the page and writes the answer to PROBES_DIR/NAME.json, which the test waits for.

/** The frame of the webview that holds `selector` (webviews are nested iframes in the workbench). */
async function frameWith(page, selector, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    for (const frame of page.frames()) {
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // a frame that went away while we looked
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no webview frame holds ${selector}`);
}

/** What the Investigation view shows: counts, facet values, timeline bars, table rows. */
async function readInvestigation(page) {
  const frame = await frameWith(page, '[data-testid="header-count"]');
  return frame.evaluate(() => {
    const q = (s, root = document) => [...root.querySelectorAll(s)];
    const count = (s) => {
      const e = document.querySelector(s);
      return e ? Number(e.getAttribute('data-count') ?? e.textContent?.replace(/[^0-9]/g, '')) : undefined;
    };
    const facets = {};
    for (const panel of q('[data-testid^="facet-"]').filter((p) => !['facet-value', 'facet-clear'].includes(p.getAttribute('data-testid')))) {
      facets[panel.getAttribute('data-testid').slice(6)] = q('[data-testid="facet-value"]', panel).map((b) => ({ value: b.getAttribute('data-value'), count: Number(b.getAttribute('data-count')), pressed: b.getAttribute('aria-pressed') }));
    }
    const buckets = q('[data-testid="timeline-bucket"]').map((b) => ({ t: Number(b.getAttribute('data-t')), count: Number(b.getAttribute('data-count')) }));
    const rows = q('[data-testid="table-row"]').map((r) => ({ id: r.getAttribute('data-id'), cells: q('[role="cell"], [role="gridcell"], td', r).map((c) => c.textContent) }));
    return { events: count('[data-testid="header-count"]'), selected: count('[data-testid="selected-count"]'), facets, buckets, rows, unavailable: document.querySelector('[data-testid="unavailable"]')?.textContent ?? null };
  });
}

export const probes = {
  'read-investigation': (page) => readInvestigation(page),
  /** The messages of the notification center (the test opens it first), newest first, with their buttons. */
  'read-notifications': async (page) => {
    await page.locator('.notifications-list-container').waitFor({ state: 'attached', timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    return page.evaluate(() =>
      [...document.querySelectorAll('.notifications-list-container .notification-list-item')].map((item) => ({
        message: item.querySelector('.notification-list-item-message')?.textContent ?? '',
        buttons: [...item.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map((b) => b.textContent ?? ''),
        progress: item.querySelector('.monaco-progress-container.active') !== null,
      })),
    );
  },
  /**
   * Expands rows of the Trails view by label, in order (each must be visible), then reads the
   * rows the tree shows: what a user sees, which the extension host cannot read itself.
   */
  'expand-tree': async (page, { labels }) => {
    const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const label of labels) {
      const row = page.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) }) }).first();
      await row.waitFor({ timeout: 20_000 });
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      // A row's hover would cover the next one.
      await page.mouse.move(2, 2);
      await page.keyboard.press('Escape');
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    return page.locator('.monaco-list-row').evaluateAll((rows) =>
      rows.map((r) => ({ level: Number(r.getAttribute('aria-level')), label: r.querySelector('.label-name')?.textContent ?? '', description: r.querySelector('.label-description')?.textContent ?? '' })),
    );
  },
  /** Clicks a facet value (Alt+click excludes it), then reads the view once the counts change. */
  'click-facet': async (page, { facet, value, alt }) => {
    const frame = await frameWith(page, `[data-testid="facet-${facet}"] [data-testid="facet-value"]`);
    const before = await readInvestigation(page);
    const button = frame.locator(`[data-testid="facet-${facet}"] [data-testid="facet-value"][data-value="${String(value).replace(/["\\]/g, '\\$&')}"]`);
    await button.click({ modifiers: alt ? ['Alt'] : [] });
    for (let i = 0; i < 100; i++) {
      const after = await readInvestigation(page);
      if (after.selected !== before.selected) return after;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return readInvestigation(page);
  },
};

/** Runs the probe a suite line asks for, if it is one; writes its answer (or error) for the test. */
export async function answerProbe(page, line, dir, writeFileSync) {
  const m = /\[probe\] (\S+)(?: (.*))?$/.exec(line);
  if (!m) return false;
  const [, name, json] = m;
  const [kind] = name.split(':');
  let answer;
  try {
    answer = { ok: true, value: await probes[kind](page, json ? JSON.parse(json) : {}) };
  } catch (error) {
    answer = { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  writeFileSync(`${dir}/${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`, JSON.stringify(answer));
  return true;
}
