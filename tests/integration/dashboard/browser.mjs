// A real Chromium (Debian's /usr/bin/chromium, driven by playwright-core; nothing downloaded)
// that the Python integration tests steer line by line: each stdin line is a JSON command,
// each stdout line its JSON answer. One page, 1366x768, a fresh profile per run.
//   {"cmd":"open","url":...}            load a page (waits for the load event)
//   {"cmd":"fill","sel":...,"value":...} {"cmd":"click","sel":...} {"cmd":"press","key":...}
//   {"cmd":"upload","sel":...,"path":...} choose a file in a file input
//   {"cmd":"text","sel":...}            the element's textContent ("" when missing)
//   {"cmd":"count","sel":...}           how many elements match
//   {"cmd":"wait_text","sel":...,"text":...,"timeout":ms}  until its text contains TEXT; ms taken
//   {"cmd":"wait","sel":...,"timeout":ms,"state":...}  until it is visible (or STATE)
//   {"cmd":"shot","path":...}           a screenshot (PNG) of the page
//   {"cmd":"eval","js":...}             the value of an expression in the page
//   {"cmd":"download","sel":...}        click a link, return the downloaded file (base64);
//                                        with "named":true, {name, data} (the suggested file name)
//   {"cmd":"cross_site","url":...,"target":...,"body":...}  another site's page posts a form
//                                        to TARGET; the status our server answered
//   {"cmd":"focus_outline"}             the focused element's outline (keyboard focus check)
//   {"cmd":"errors"}                    console errors and page errors so far
//   {"cmd":"quit"}
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const profile = process.env.DJTV_BROWSER_PROFILE;
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.DJTV_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
  ignoreHTTPSErrors: true, // the test CA is not in this fresh profile
  viewport: { width: 1366, height: 768 },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
  acceptDownloads: true,
});
const page = context.pages()[0] || await context.newPage();
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
page.on('dialog', (d) => d.accept()); // "are you sure?" confirmations: yes

async function run(c) {
  const t = c.timeout || 10000;
  switch (c.cmd) {
    case 'open': await page.goto(c.url, { waitUntil: 'load', timeout: t }); return page.url();
    case 'fill': await page.fill(c.sel, c.value, { timeout: t }); return true;
    case 'click': await page.click(c.sel, { timeout: t }); return true;
    case 'press': await page.keyboard.press(c.key); return true;
    case 'upload': await page.setInputFiles(c.sel, c.path, { timeout: t }); return true;
    case 'select': await page.selectOption(c.sel, String(c.value), { timeout: t }); return true;
    case 'text': return page.evaluate((s) => { const n = document.querySelector(s); return n ? n.textContent : ''; }, c.sel);
    case 'count': return page.locator(c.sel).count();
    case 'wait': await page.waitForSelector(c.sel, { state: c.state || 'visible', timeout: t }); return true;
    case 'wait_text': {
      const start = Date.now();
      await page.waitForFunction(([s, x]) => { const n = document.querySelector(s); return n && n.textContent.includes(x); },
        [c.sel, c.text], { timeout: t, polling: 'raf' });
      return Date.now() - start;
    }
    case 'shot': await page.screenshot({ path: c.path, fullPage: !!c.full }); return c.path;
    case 'eval': return page.evaluate(c.js);
    case 'download': {
      const [d] = await Promise.all([page.waitForEvent('download', { timeout: t }), page.click(c.sel)]);
      const path = await d.path();
      const fs = await import('node:fs');
      const data = fs.readFileSync(path).toString('base64');
      return c.named ? { name: d.suggestedFilename(), data } : data;
    }
    case 'cross_site': {
      const other = await context.newPage();
      await other.route(c.url, (route) => route.fulfill({
        contentType: 'text/html',
        body: `<form id=f method=POST action="${c.target}" enctype="text/plain">` +
          `<input name='${c.body}' value=''></form>`,
      }));
      await other.goto(c.url);
      const [resp] = await Promise.all([
        other.waitForResponse((r) => r.url() === c.target, { timeout: t }),
        other.evaluate(() => document.getElementById('f').submit())]);
      const status = resp.status();
      const body = await resp.text().catch(() => '');
      await other.close();
      return { status, body };
    }
    case 'focus_outline': return page.evaluate(() => {
      const n = document.activeElement;
      const st = n ? getComputedStyle(n) : null;
      return n ? { tag: n.tagName, id: n.id, text: n.textContent.slice(0, 40), outline: st.outlineStyle,
        width: st.outlineWidth, shadow: st.boxShadow } : null;
    });
    case 'errors': return errors.splice(0);
    case 'quit': await context.close(); process.exit(0);
    default: throw new Error(`unknown command ${c.cmd}`);
  }
}

const rl = readline.createInterface({ input: process.stdin });
for await (const line of rl) {
  let c;
  try {
    c = JSON.parse(line);
    const value = await run(c);
    process.stdout.write(JSON.stringify({ ok: true, value }) + '\n');
  } catch (err) {
    process.stdout.write(JSON.stringify({ ok: false, error: String(err && err.message || err) }) + '\n');
  }
}
await context.close();
