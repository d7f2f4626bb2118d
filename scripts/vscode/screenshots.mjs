// Takes the README's screenshots in the real VS Code 1.139 with the extension on the demo workspace:
// docs/images/trails-view.png and docs/images/event-document.png. The extension side of each scene
// is test/integration/screenshotDriver.ts. Needs `npm run build && npm run compile-tests`.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ensureDemoWorkspace } from '../demoWorkspace.mjs';
import { installVsCode, launchBrowser, repoRoot, startServer, workbenchUrl } from './harness.mjs';

installVsCode();
const workspace = ensureDemoWorkspace();
const shots = mkdtempSync(path.join(tmpdir(), 'cloudtrail-lens-shots-'));
const images = path.join(repoRoot, 'docs', 'images');
mkdirSync(images, { recursive: true });
const server = await startServer({ env: { CLOUDTRAIL_LENS_SHOTS: shots } });
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });

async function expand(label) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const row = page.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escaped}$`) }) }).first();
  await row.waitFor({ timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await page.waitForTimeout(700);
}

/** Drags the side bar's edge so tree rows show their descriptions. */
async function widenSideBar(width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box || box.width >= width) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 10 });
  await page.mouse.up();
  await page.waitForTimeout(500);
}

const scenes = {
  tree: async () => {
    await widenSideBar(560);
    // Down to a day of log files: rows read `00:12 · us-east-1 · 7.3 KB`.
    for (const label of ['demo-workspace', 'Bucket', 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2026', '11', '01']) await expand(label);
    await page.screenshot({ path: path.join(images, 'trails-view.png') });
  },
  events: async () => {
    await page.screenshot({ path: path.join(images, 'event-document.png') });
  },
  'identity-hover': async () => {
    await page.screenshot({ path: path.join(images, 'identity-hover.png') });
  },
  investigation: async () => {
    // The webview is a frame of frames: find the one with the view, stack the timeline by event source.
    let frame;
    for (let i = 0; i < 150 && !frame; i++) {
      for (const f of page.frames()) if (await f.$('[data-testid="stack-by"]').catch(() => null)) frame = f;
      if (!frame) await page.waitForTimeout(200);
    }
    if (!frame) throw new Error('the Investigation view did not appear');
    await frame.selectOption('[data-testid="stack-by"]', 'eventSource');
    await page.waitForTimeout(2500);
    await page.screenshot({ path: path.join(images, 'investigation-view.png') });
  },
  notebook: async () => {
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(images, 'query-notebook.png') });
  },
  'aws-tree': async () => {
    await page.keyboard.press('Escape');
    await widenSideBar(720);
    // Collapse the local trail so the AWS account's trail fills the view.
    const local = page.locator('.monaco-list-row[aria-expanded="true"]').filter({ has: page.locator('.label-name', { hasText: /^demo-workspace$/ }) });
    if ((await local.count()) > 0) await local.first().click();
    for (const label of ['org-audit', 'Status', 'Digest status', 'Protection']) await expand(label);
    await page.waitForTimeout(3000);
    await page.screenshot({ path: path.join(images, 'aws-trails-view.png') });
  },
  'aws-monitoring': async () => {
    // Fold what the previous picture opened; open Monitoring and its CIS controls.
    for (const label of ['Status', 'Digest status', 'Protection']) {
      const row = page.locator('.monaco-list-row[aria-expanded="true"]').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
      if ((await row.count()) > 0) await row.first().click();
    }
    await expand('Monitoring');
    // The row's hover would cover the next row: move away and close it.
    await page.mouse.move(1400, 880);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(8000);
    // The Findings view below would leave the controls little room.
    const findings = page.locator('.pane-header[aria-expanded="true"]').filter({ hasText: /^Findings/ });
    if ((await findings.count()) > 0) await findings.first().click();
    await expand('CIS monitoring controls');
    await page.mouse.move(1400, 880);
    await page.waitForTimeout(2500);
    await page.waitForTimeout(3000);
    await page.screenshot({ path: path.join(images, 'aws-monitoring.png') });
  },
};

const done = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
await page.exposeFunction('codeAutomationLog', async (_level, message) => {
  const m = /\[shot\] (\S+)/.exec(String(message));
  if (!m) return;
  try {
    await scenes[m[1]]?.();
    console.log(`screenshots: ${m[1]}`);
    await page.keyboard.press('Escape'); // close a hover before the next scene
  } catch (error) {
    console.error(`screenshots: ${m[1]} failed: ${error instanceof Error ? error.message : error}`);
  } finally {
    writeFileSync(path.join(shots, `${m[1]}.done`), '');
  }
});
await page.goto(workbenchUrl({ port: server.port, folder: workspace, testsPath: path.join(repoRoot, 'out', 'test', 'integration', 'screenshotDriver.js') }));
const code = await Promise.race([done, new Promise((resolve) => setTimeout(() => resolve('timeout'), 300_000))]);
await browser.close();
server.stop();
console.log(code === 0 ? `screenshots: written to ${path.relative(repoRoot, images)}` : `screenshots: the driver ended with ${code}`);
process.exit(code === 0 && existsSync(path.join(images, 'event-document.png')) ? 0 : 1);
