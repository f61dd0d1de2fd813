// The full login in a real browser: headless Chromium opens a protected page through our gateway
// (dist/oidc.wasm), is sent to the real provider, signs in on its form, consents, comes back to the page
// (which shows the bearer token the upstream received), logs out at the provider and is asked to log in
// again. Without Chromium (Debian package `chromium`) the test is skipped with the reason; under CI=true it fails.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startStack, wasm, type Stack } from './oidc-stack.ts';

const CHROMIUM = '/usr/bin/chromium';
const missing = !existsSync(CHROMIUM) ? `${CHROMIUM} not found (apt-get install -y chromium)`
  : !existsSync(wasm) ? 'dist/oidc.wasm missing (npm run build:plugin -- oidc)' : null;
if (missing && process.env.CI === 'true') throw new Error(`oidc browser test cannot run under CI=true: ${missing}`);
const skip = missing ? `skipped: ${missing}` : false;

let stack: Stack;
let browser: Browser;

before(async () => {
  if (skip) return;
  stack = await startStack({ config: { forward: { claimsToHeaders: [{ claim: 'email', header: 'x-user-email' }] } } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

interface Echo { path: string; headers: [string, string][] }

test('Chromium: protected page → provider login form → back on the page with a bearer token → logout → login again', { skip }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // 1. The protected page sends the browser to the provider's login form.
  await page.goto(`${stack.origin}/app/dashboard?tab=2`);
  assert.ok(page.url().startsWith(`${stack.idp.issuer}/interaction/`), page.url());
  await page.fill('input[name=login]', 'carol');
  await page.fill('input[name=password]', 'any-password');
  await page.click('button[type=submit]');
  // 2. Consent (offline_access asks for it), then back through the callback to the original page.
  await page.waitForSelector('button[type=submit]');
  await page.click('button[type=submit]');
  await page.waitForURL(`${stack.origin}/app/dashboard?tab=2`);
  const echo = JSON.parse((await page.textContent('body'))!) as Echo;
  assert.equal(echo.path, '/app/dashboard?tab=2');
  const auth = echo.headers.find(([k]) => k === 'authorization')?.[1] ?? '';
  assert.match(auth, /^Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  const claims = JSON.parse(Buffer.from(auth.split('.')[1]!, 'base64url').toString()) as { sub: string; iss: string };
  assert.equal(claims.sub, 'carol');
  assert.equal(claims.iss, stack.idp.issuer);
  assert.equal(echo.headers.find(([k]) => k === 'x-user-email')?.[1], 'carol@example.com');
  // The session cookie is HttpOnly: page scripts cannot read it.
  assert.equal(await page.evaluate(() => document.cookie.includes('oidc_session')), false);
  const cookies = await context.cookies(stack.origin);
  const session = cookies.find((c) => c.name === 'oidc_session_0')!;
  assert.ok(session.httpOnly);
  assert.equal(session.sameSite, 'Lax');

  // 3. Another page of the app: no new login.
  await page.goto(`${stack.origin}/app/other`);
  assert.equal(page.url(), `${stack.origin}/app/other`);

  // 4. Logout: the provider confirms, then sends the browser to the post-logout URI, which asks for a login.
  await page.goto(`${stack.origin}/logout`);
  assert.ok(page.url().startsWith(`${stack.idp.issuer}/session/end`), page.url());
  await page.click('button[name=logout]');
  await page.waitForURL((u) => u.toString().startsWith(`${stack.idp.issuer}/interaction/`));
  assert.ok(await page.isVisible('input[name=login]'), 'asked to log in again');
  assert.equal((await context.cookies(stack.origin)).some((c) => c.name.startsWith('oidc_session')), false);
  await context.close();
});
