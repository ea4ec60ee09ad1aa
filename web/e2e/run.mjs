// End-to-end test of the studio: the real `stipple serve` on a real database
// (SQLite in a temporary folder, or the PostgreSQL of STIPPLE_E2E_DB), driven
// in Debian's Chromium by Playwright, as a clinic would use it. Screenshots of
// every page at phone, tablet and desktop widths go to e2e/out/.
//
// usage: node e2e/run.mjs            (STIPPLE: the executable, default ../build/stipple;
//                                     STIPPLE_E2E_DB: a database URL, default a new SQLite file;
//                                     CHROMIUM: default /usr/bin/chromium)
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const stipple = path.resolve(process.env.STIPPLE ?? path.join(here, "../../build/stipple"));
const web = path.resolve(here, "../dist");
const out = path.join(here, "out");
const work = mkdtempSync(path.join(tmpdir(), "stipple-e2e-"));
const db = process.env.STIPPLE_E2E_DB ?? `sqlite:${path.join(work, "studio.db")}`;
const label = db.startsWith("sqlite:") ? "sqlite" : "postgresql";
mkdirSync(out, { recursive: true });

const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
};

function createUser(email, name, role, password) {
  const r = spawnSync(stipple, ["admin", "create-user", "--db", db, "--email", email, "--name", name, "--role", role], {
    input: password + "\n",
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`create-user ${email}: ${r.stderr}`);
}

/** Starts the server on a free port; resolves with its URL and the process. */
function serve() {
  return new Promise((resolve, reject) => {
    const p = spawn(stipple, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--data", path.join(work, "data"), "--web", web], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    const onData = (b) => {
      log += b.toString();
      const m = /serving (http:\/\/\S+)/.exec(log);
      if (m) resolve({ url: m[1], process: p, log: () => log });
    };
    p.stdout.on("data", onData);
    p.stderr.on("data", onData);
    p.on("exit", (code) => reject(new Error(`stipple serve exited ${code}: ${log}`)));
    setTimeout(() => reject(new Error(`stipple serve did not start: ${log}`)), 20000);
  });
}

async function stop(server) {
  server.process.removeAllListeners("exit");
  server.process.kill("SIGTERM");
  await new Promise((r) => server.process.once("exit", r));
}

const sizes = { phone: { width: 390, height: 844 }, tablet: { width: 820, height: 1180 }, desktop: { width: 1440, height: 900 } };
async function shots(page, name) {
  for (const [size, viewport] of Object.entries(sizes)) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => window.scrollTo(0, 0));  // the sticky bar at the top of a full-page picture
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    check(wide <= viewport.width, `${name} at ${size} width fits (${wide} px of ${viewport.width})`);
    await page.screenshot({ path: path.join(out, `${label}-${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(sizes.desktop);
}

const password = "correct horse battery staple";
createUser("owner@clinic.example", "Olivia Owner", "owner", password);
createUser("desk@clinic.example", "Dev Desk", "front_desk", password);

let server = await serve();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
try {
  const context = await browser.newContext({ viewport: sizes.desktop });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && consoleErrors.push(m.text()));
  // Every failed request, by URL: only the API's expected refusals are allowed (401 before
  // sign-in, 400 for the refused date of birth, 401 for the wrong password).
  const badResponses = [];
  page.on("response", (r) => {
    if (r.status() < 400) return;
    const url = new URL(r.url());
    const expected = url.pathname.startsWith("/api/v1/") && [400, 401, 422].includes(r.status());
    // The diary's refused double booking.
    if (url.pathname === "/api/v1/appointments" && r.status() === 409) return;
    if (!expected) badResponses.push(`${r.status()} ${url.pathname}`);
  });

  // Sign in: a wrong password first, then the right one.
  await page.goto(server.url);
  await page.getByLabel("Email").fill("owner@clinic.example");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("That email and password do not match an account.").waitFor();
  await shots(page, "signin-error");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Clients" }).waitFor();
  // The heading shows before the list has loaded: wait for the list's own words.
  const empty = await page.getByText("No clients yet").waitFor({ timeout: 10000 }).then(() => true, () => false);
  check(empty, "an empty clinic says how to add the first client");

  // The owner sets up the clinic: an error at its field first, then a London clinic pricing in pounds.
  await page.getByRole("link", { name: "Clinic" }).click();
  await page.getByRole("heading", { name: "Clinic settings" }).waitFor();
  check(await page.getByText("Stipple's defaults: not saved by the clinic yet.").isVisible(), "the clinic starts on the bundled settings");
  await page.getByLabel("Clinic name").fill("Harbour SMP Clinic");
  await page.getByLabel("Time zone").selectOption("Europe/London");
  await page.getByLabel("Monday closes").fill("09:30");
  await page.getByLabel("Currency").fill("GBP");
  await page.getByLabel("Tax rate").fill("20");
  await page.getByLabel("The prices include the tax").check();
  await page.getByLabel("Tax name").fill("VAT");
  await page.getByRole("button", { name: "Save settings" }).click();
  const mondayError = page.getByRole("group", { name: "Monday" }).locator(".field__error");
  await mondayError.waitFor();
  check(/at least an hour before the closing time/.test(await mondayError.textContent()), `Monday's hours refused at their row: ${await mondayError.textContent()}`);
  await shots(page, "clinic-settings-error");
  await page.getByLabel("Monday closes").fill("18:00");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.locator(".settings__saved", { hasText: "Saved as version 1" }).waitFor();
  check(await page.getByText(/Version 1, saved by Olivia Owner/).isVisible(), "the settings say which version is in force and who saved it");
  await page.getByRole("link", { name: "Clients" }).first().click();
  await page.getByRole("heading", { name: "Clients" }).waitFor();

  // A new client; a date of birth in the future is refused at its field.
  await page.getByRole("link", { name: "New client" }).click();
  await page.getByLabel("Full name").fill("Ana Lima");
  await page.getByLabel("Email").fill("ana.lima@example.com");
  await page.getByLabel("Phone").fill("+44 20 7946 0018");
  await page.getByLabel("Date of birth").fill("2099-01-01");
  await page.getByLabel("Sex").selectOption("female");
  await page.getByLabel("Clinical notes").fill("Diffuse thinning since 2023; wants density.");
  await page.getByRole("button", { name: "Create client" }).click();
  const dobError = page.locator(".field--error").filter({ has: page.getByLabel("Date of birth") }).locator(".field__error");
  await dobError.waitFor();
  check((await dobError.textContent()).length > 0, `the date of birth's error at its field: ${await dobError.textContent()}`);
  await shots(page, "client-new-error");
  await page.getByLabel("Date of birth").fill("1988-04-09");
  await page.getByRole("button", { name: "Create client" }).click();
  await page.getByRole("heading", { name: "Ana Lima" }).waitFor();
  check(await page.getByText(/1988-04-09 \(age \d+\)/).isVisible(), "the client's page gives the age from the date of birth");
  await shots(page, "client-page");

  // Edit: the phone changes.
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Phone").fill("+44 20 7946 0099");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("+44 20 7946 0099").waitFor();
  check(await page.getByText(/Details changed \(version 2\)/).isVisible(), "the record's history shows the change");

  // A consultation: the intake questionnaire, checked at its fields, then the engine's run.
  await page.getByRole("link", { name: "New consultation" }).click();
  await page.getByRole("heading", { name: "Consultation: Ana Lima" }).waitFor();
  check((await page.getByLabel("Age", { exact: true }).inputValue()) !== "", "the intake starts with the client's age from the date of birth");
  await page.getByLabel("Budget for the treatment").fill("2500");
  check((await page.getByLabel("Currency of the budget").inputValue()) === "GBP", "a budget is in the clinic's currency unless changed");
  await page.getByLabel("Age", { exact: true }).fill("150");
  await page.getByLabel("Kind of hair loss").selectOption("diffuse");
  await page.getByRole("group", { name: "Ludwig class" }).getByLabel("II: marked").check();
  await page.getByRole("group", { name: "Pigment patch test" }).getByLabel("Passed").check();
  await page.getByRole("group", { name: "The look the client wants" }).getByLabel("Shaved (buzz cut)").check();
  await page.getByRole("group", { name: "Keeps longer hair" }).getByLabel("Yes").check();
  await page.getByRole("button", { name: "Assess and plan" }).click();
  const ageError = page.locator('[data-path="client.age"] .field__error');
  await ageError.waitFor();
  check(/from 0 to 120, found 150/.test(await ageError.textContent()), `the age's error at its field: ${await ageError.textContent()}`);
  await shots(page, "intake-error");
  await page.getByLabel("Age", { exact: true }).fill("38");
  await page.getByRole("button", { name: "Assess and plan" }).click();
  // The engine's reader refuses a long-hair answer beside the shaved look, at that question.
  const longHair = page.locator('[data-path="goals.keep_long_hair"] .field__error');
  await longHair.waitFor();
  check((await longHair.textContent()).length > 0, `the engine's own error at its question: ${await longHair.textContent()}`);
  await page.getByRole("group", { name: "The look the client wants" }).getByLabel("Density under longer hair").check();
  await page.getByRole("button", { name: "Assess and plan" }).click();
  await page.getByRole("heading", { name: "Consultation: Ana Lima" }).waitFor();
  await page.getByRole("link", { name: "Consultation report (PDF)" }).waitFor({ timeout: 180000 });
  check(await page.getByRole("heading", { name: "Assessment" }).isVisible(), "the consultation shows its assessment");
  const pictures = await page.locator(".pictures img").count();
  check(pictures >= 3, `the consultation shows its pictures (${pictures})`);
  const pdf = await page.request.get(new URL(await page.getByRole("link", { name: "Consultation report (PDF)" }).getAttribute("href"), server.url).href);
  const consultationId = new URL(page.url()).pathname.split("/").pop();
  const quote = await (await page.request.get(`${server.url}/api/v1/consultations/${consultationId}/quote`)).json();
  check(quote.currency === "GBP", `the quote is in the clinic's currency (${quote.currency})`);
  check(pdf.status() === 200 && (await pdf.body()).subarray(0, 4).toString() === "%PDF", "the report opens as a PDF");
  await page.evaluate(() => Promise.all([...document.images].map((i) => i.complete || new Promise((r) => (i.onload = i.onerror = r)))));
  await shots(page, "consultation");

  // The intake's answers come back to be edited (not sent here); then the design changed and run again.
  await page.getByRole("link", { name: "Edit the intake and run again" }).click();
  await page.getByRole("heading", { name: "Consultation: Ana Lima" }).waitFor();
  await page.getByText(/The answers of the intake of/).waitFor();
  check((await page.getByLabel("Kind of hair loss").inputValue()) === "diffuse", "the earlier intake's answers fill the form again");
  await page.goBack();
  await page.getByRole("link", { name: "Consultation report (PDF)" }).waitFor();
  const firstRun = page.url();
  await page.getByText("Change the design").click();
  await page.getByLabel("Hairline").selectOption("soft");
  await page.getByRole("button", { name: "Design again with these choices" }).click();
  await page.waitForURL((u) => u.href !== firstRun && /\/consultations\//.test(u.pathname));
  // The new consultation's page (the old one's report link may still be on screen for a moment).
  await page.getByText(/The practitioner chose, instead of the intake’s answers: hairline: Soft/).waitFor();
  check(true, "the new run says it follows the practitioner's hairline");
  await page.locator(".progress-card").waitFor({ state: "detached", timeout: 180000 });
  await page.getByRole("link", { name: "Consultation report (PDF)" }).waitFor({ timeout: 180000 });
  const secondId = new URL(page.url()).pathname.split("/").pop();
  const secondDesign = await (await page.request.get(`${server.url}/api/v1/consultations/${secondId}/documents/design.json`)).json();
  check(secondDesign.hairline.style === "soft", `the new design has the soft hairline (${secondDesign.hairline.style})`);
  const firstDesign = await (await page.request.get(`${server.url}/api/v1/consultations/${consultationId}/documents/design.json`)).json();
  check(firstDesign.hairline.style !== "soft", `the first run's design stays as it was (${firstDesign.hairline.style})`);
  await page.locator("nav.crumbs").getByRole("link", { name: "Ana Lima" }).click();
  await page.getByRole("heading", { name: "Ana Lima" }).waitFor();
  await page.locator("#consultations-title").waitFor();
  const listed = await page.getByText(/Done, planned/).first().waitFor({ timeout: 10000 }).then(() => true, () => false);
  check(listed, "the client's record lists the consultation");

  // Consent: the owner writes the clinic's texts; Ana reads and signs them on the tablet
  // (the typed name and a signature drawn on the pad); a new version of the treatment
  // text asks her to sign again.
  const drawOn = async (pad) => {
    const b = await pad.boundingBox();
    await page.mouse.move(b.x + 20, b.y + b.height / 2);
    await page.mouse.down();
    for (let i = 0; i <= 40; i++) await page.mouse.move(b.x + 20 + (i * (b.width - 40)) / 40, b.y + b.height / 2 + Math.sin(i / 3) * b.height * 0.3);
    await page.mouse.up();
  };
  const writeText = async (kind, title, body) => {
    const form = page.getByRole("form", { name: `The ${kind} consent text` });
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("Text").fill(body);
    await form.getByRole("button", { name: /^Save/ }).click();
    await page.getByText(/Saved as version \d+/).first().waitFor();
  };
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Consents" }).click();
  await page.getByRole("heading", { name: "Consent texts" }).waitFor();
  await writeText("treatment", "Consent to scalp micropigmentation",
                  "I ask the clinic to treat my scalp with micropigmentation over two to four sessions.\n\nI was told of redness, swelling and, rarely, infection or an allergic reaction.");
  await writeText("clinical photos", "Consent to clinical photos", "The clinic may photograph my scalp and keep the photos in my record.");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
  await page.getByRole("link", { name: "Ana Lima" }).first().click();
  await page.getByRole("heading", { name: "Ana Lima" }).waitFor();
  const consents = page.locator(".consents");
  const signKind = async (kind, title) => {
    await consents.locator(".consents__kind", { hasText: kind }).getByRole("button", { name: /^Sign/ }).click();
    const form = page.getByRole("form", { name: `Sign: ${title}` });
    await form.waitFor();
    return form;
  };
  let signing = await signKind("Treatment", "Consent to scalp micropigmentation");
  check(await signing.getByText("I was told of redness, swelling").isVisible(), "the client reads the whole text before signing");
  await signing.getByLabel("Your name").fill("Ana Lima");
  await signing.getByRole("button", { name: "Sign", exact: true }).click();
  await signing.getByText("expected a signature drawn in the box").waitFor();
  check(true, "signing without a drawn signature is refused at the pad");
  await drawOn(signing.getByRole("img", { name: "Your signature" }));
  await shots(page, "consent-signing");
  await signing.getByRole("button", { name: "Sign", exact: true }).click();
  await page.getByText("Signed: Consent to scalp micropigmentation, version 1.").waitFor();
  signing = await signKind("Clinical photos", "Consent to clinical photos");
  await signing.getByLabel("Your name").fill("Ana Lima");
  await drawOn(signing.getByRole("img", { name: "Your signature" }));
  await signing.getByRole("button", { name: "Sign", exact: true }).click();
  await page.getByText("Signed: Consent to clinical photos, version 1.").waitFor();
  const drawn = consents.locator(".consents__signature").first();
  await drawn.waitFor();
  check(await drawn.evaluate((img) => img.complete && img.naturalWidth > 100), "the signature shows as it was drawn");
  check((await consents.locator(".consents__kind", { hasText: "Treatment" }).textContent()).includes("Signed"), "the treatment consent stands");
  await shots(page, "client-consents");

  // Photos: a JPEG and a PNG from the desktop, a file that is no photo refused at its field, two side by side.
  const repo = path.resolve(here, "../..");
  await page.getByLabel("When").selectOption("before");
  await page.getByLabel("View").selectOption("top");
  await page.getByLabel("Photo", { exact: true }).setInputFiles(path.join(repo, "README.md"));
  await page.getByRole("button", { name: "Upload photo" }).click();
  const photoError = page.locator(".photo-upload .field--error .field__error");
  await photoError.waitFor();
  check(/another kind of file/.test(await photoError.textContent()), `a file that is no photo is refused at its field: ${await photoError.textContent()}`);
  await page.getByLabel("Photo", { exact: true }).setInputFiles(path.join(repo, "docs/examples/client.jpg"));
  await page.getByRole("button", { name: "Upload photo" }).click();
  await page.locator(".photos__item").first().waitFor();
  await page.getByLabel("When").selectOption("after");
  await page.getByLabel("Session", { exact: true }).fill("1");
  await page.getByLabel("Photo", { exact: true }).setInputFiles(path.join(repo, "docs/images/norwood-IV.top.png"));
  await page.getByRole("button", { name: "Upload photo" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".photos__item").length === 2);
  check(await page.getByText("After session 1, top", { exact: true }).isVisible(), "the photo's kind, session and view in words");
  await page.getByText("Photo added: after session 1, top").waitFor();
  check(true, "the record's timeline shows an upload without a reload");
  for (const box of await page.locator(".photos__pick input").all()) await box.check();
  await page.locator(".compare img").nth(1).waitFor();
  await page.evaluate(() => Promise.all([...document.images].map((i) => i.complete || new Promise((r) => (i.onload = i.onerror = r)))));
  check((await page.locator(".compare img").count()) === 2, "two photos side by side");
  await shots(page, "client-photos");

  // More clients, then search as you type.
  for (const [name, email] of [["Bo Chen", "bo@example.com"], ["Carlos Díaz", "carlos@example.com"], ["Anaïs Martin", "anais@example.com"]]) {
    await page.goto(`${server.url}/clients/new`);
    await page.getByLabel("Full name").fill(name);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Sex").selectOption("male");
    await page.getByRole("button", { name: "Create client" }).click();
    await page.getByRole("heading", { name }).waitFor();
  }
  await page.getByRole("link", { name: "Clients" }).first().click();
  await page.getByLabel("Search clients").fill("ana");
  await page.waitForURL(/q=ana/);
  // The list answers the search a moment after the address changes: wait for it (or time out and report what it shows).
  await page
    .waitForFunction(() => {
      const shown = [...document.querySelectorAll("tbody td:first-child")].map((e) => e.textContent);
      return shown.includes("Ana Lima") && !shown.includes("Bo Chen");
    }, null, { timeout: 10000 })
    .catch(() => {});
  const names = await page.locator("tbody td:first-child").allTextContents();
  check(names.includes("Ana Lima") && !names.includes("Bo Chen"), `search "ana" finds Ana Lima and not Bo Chen (${names.join(", ")})`);
  await shots(page, "client-search");
  await page.getByLabel("Search clients").fill("7946 0099");
  await page.waitForURL(/q=7946/);
  await page.waitForFunction(() => [...document.querySelectorAll("tbody td:first-child")].map((e) => e.textContent).join() === "Ana Lima");
  check(true, "search by phone digits finds Ana Lima");

  // A restart: everything committed is still there.
  await stop(server);
  server = await serve();
  await page.goto(`${server.url}/clients?q=lima`);
  const signin = page.getByRole("button", { name: "Sign in" });
  if (await signin.isVisible().catch(() => false)) {
    await page.getByLabel("Email").fill("owner@clinic.example");
    await page.getByLabel("Password").fill(password);
    await signin.click();
  }
  await page.getByRole("link", { name: "Ana Lima" }).waitFor();
  check(true, "after a restart the client is found again");

  // Patch tests on Ana Lima's page: one placed 30 hours ago (through the API: its
  // reading window is 24-48 hours after placing) read as passed, and a new one recorded.
  await page.getByRole("link", { name: "Ana Lima" }).first().click();
  await page.getByRole("heading", { name: "Ana Lima" }).waitFor();
  const anaId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
  const placedAt = new Date(Date.now() - 30 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, "Z");
  const placedTest = await page.request.post(`${server.url}/api/v1/clients/${anaId}/patch-tests`, {
    headers: { "X-Requested-With": "stipple" },
    data: { placed_at: placedAt, pigment: "Carbon black SMP, 25% dilution", lot: "CB-2026-117", site: "behind the left ear" },
  });
  check(placedTest.status() === 201, `a patch test placed 30 hours ago is recorded (${placedTest.status()})`);
  await page.reload();
  const reading = page.getByRole("form", { name: "Read the patch test" });
  await reading.waitFor();
  await reading.getByLabel("Result").selectOption("passed");
  await reading.getByLabel("What was seen").fill("no redness or itching");
  await reading.getByRole("button", { name: "Record the reading" }).click();
  await page.locator(".patch-tests__item--passed").waitFor();
  check((await page.locator(".patch-tests__item--passed").textContent()).includes("CB-2026-117"), "the reading shows with the pigment's lot");
  await page.getByRole("button", { name: "Record a patch test" }).click();
  const newTest = page.getByRole("form", { name: "Record a patch test" });
  await newTest.getByLabel("Pigment").fill("Carbon black SMP, 40% dilution");
  await newTest.getByLabel("Lot").fill("CB-2026-120");
  await newTest.getByRole("button", { name: "Record, placed now" }).click();
  await page.locator(".patch-tests__item--pending").waitFor();
  check(true, "a new patch test waits to be read");
  await shots(page, "client-patch-tests");

  // Credentials, kept by the owner: what is missing is listed; a licence recorded
  // through the form shows as valid and as expiring within 60 days.
  const today = (await (await page.request.get(`${server.url}/api/v1/clinic`)).json()).today;
  const shift = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Credentials" }).click();
  await page.getByRole("heading", { name: "Credentials" }).waitFor();
  await page.getByText("Olivia Owner: no body-art licence recorded").waitFor();
  check(await page.getByText("The clinic: no health permit recorded").isVisible(), "the clinic's missing health permit needs attention");
  const credential = page.getByRole("form", { name: "Record a credential" });
  await credential.getByLabel("Whose").selectOption({ label: "Olivia Owner" });
  await credential.getByLabel("Kind").selectOption({ label: "Body-art licence" });
  await credential.getByLabel("Number, as printed").fill("BA-2026-0142");
  await credential.getByLabel("Issued by").fill("County health department");
  await credential.getByLabel("Valid from").fill(shift(today, -10));
  await credential.getByLabel("Last valid day").fill(shift(today, -20));
  await credential.getByRole("button", { name: "Record" }).click();
  const backwards = credential.locator(".field--error .field__error").first();
  await backwards.waitFor();
  check(/last valid day on or after the first/.test(await backwards.textContent()), `an expiry before the start is refused at its field: ${await backwards.textContent()}`);
  await credential.getByLabel("Last valid day").fill(shift(today, 30));
  await credential.getByRole("button", { name: "Record" }).click();
  await page.locator(".credentials__item--valid", { hasText: "BA-2026-0142" }).waitFor();
  await page.getByText(/Olivia Owner: body-art licence expires .*, in 30 days/).waitFor();
  check(true, "a recorded licence is valid and listed as expiring within 60 days");
  await shots(page, "credentials");

  // Lots and a session chart: an expired lot refused at its field, a draft signed only when
  // complete, then locked and amended; who received the pigment's lot lists Ana.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Lots" }).click();
  await page.getByRole("heading", { name: "Lots" }).waitFor();
  const lotForm = page.getByRole("form", { name: "Record a lot" });
  const recordLot = async (kind, product, lot, expires, detail) => {
    await lotForm.getByLabel("Kind").selectOption({ label: kind });
    await lotForm.getByLabel("Product").fill(product);
    await lotForm.getByLabel("Lot number").fill(lot);
    await lotForm.getByLabel("Expires").fill(expires);
    await lotForm.getByLabel("Detail").fill(detail);
    await lotForm.getByRole("button", { name: "Record" }).click();
    await page.locator(".lots__item", { hasText: lot }).waitFor();
  };
  await recordLot("Pigment", "Carbon black SMP", "CB-OLD-1", shift(today, -3), "25%");
  await recordLot("Pigment", "Carbon black SMP", "CB-2026-117", shift(today, 400), "25%");
  await recordLot("Needle cartridges", "Cartridge 1RL", "NC-884", shift(today, 700), "1RL 0.30 mm");
  check(true, "three lots recorded");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
  await page.getByRole("link", { name: "Ana Lima" }).first().click();
  await page.getByRole("heading", { name: "Ana Lima" }).waitFor();
  const pick = async (select, text) => select.selectOption(await select.locator("option", { hasText: text }).first().getAttribute("value"));
  await page.getByRole("button", { name: "Chart a session" }).click();
  let chart = page.getByRole("form", { name: "Chart a session" });
  await chart.getByLabel("Zones worked").fill("hairline, crown");
  await chart.getByLabel("Day").fill(shift(today, -1));
  await pick(chart.getByLabel("Pigment lot"), "CB-OLD-1");
  await chart.getByLabel("Dilution").fill("25%");
  await chart.getByRole("button", { name: "Save as a draft" }).click();
  const expiredError = chart.locator(".field--error .field__error").first();
  await expiredError.waitFor();
  check(/expired/.test(await expiredError.textContent()), `an expired lot is refused at its field: ${await expiredError.textContent()}`);
  await pick(chart.getByLabel("Pigment lot"), "CB-2026-117");
  await chart.getByRole("button", { name: "Save as a draft" }).click();
  const draftItem = page.locator(".charts__item--draft").first();
  await draftItem.waitFor();
  await draftItem.getByRole("button", { name: "Sign and lock" }).click();
  await draftItem.getByText(/Not signed yet: .*needle cartridges' lot/).waitFor();
  check(true, "an incomplete chart is not signed: the needles' lot and the hygiene checklist are named");
  await draftItem.getByRole("button", { name: "Change" }).click();
  chart = page.getByRole("form", { name: "Change the chart" });
  await pick(chart.getByLabel("Needle cartridges' lot"), "NC-884");
  for (const item of ["Single-use cartridges opened in front of the client", "Gloves worn", "Barrier film on the machine and surfaces", "Surfaces disinfected"])
    await chart.getByLabel(item).check();
  await chart.getByRole("button", { name: "Save the draft" }).click();
  await page.locator(".charts__item--draft").getByText("Hygiene: 4 of 4 confirmed").waitFor();
  await page.locator(".charts__item--draft").getByRole("button", { name: "Sign and lock" }).click();
  const signedItem = page.locator(".charts__item--signed").first();
  await signedItem.waitFor();
  check((await signedItem.textContent()).includes("Signed, locked"), "the complete chart is signed and locked");
  await signedItem.getByRole("button", { name: "Add an amendment" }).click();
  await signedItem.getByLabel("The correction").fill("The temples were left for session 2.");
  await signedItem.getByRole("button", { name: "Add", exact: true }).click();
  await signedItem.getByText(/Amended .*: The temples were left for session 2\./).waitFor();
  check(true, "a signed chart takes an amendment beside it");
  await shots(page, "client-chart");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Lots" }).click();
  await page.getByRole("button", { name: /CB-2026-117/ }).click();
  const recipients = page.getByRole("heading", { name: /Who received Carbon black SMP, lot CB-2026-117/ });
  await recipients.waitFor();
  await page.locator("table tbody tr", { hasText: "Ana Lima" }).waitFor();
  check(await page.getByText("1 client, 1 session.").isVisible(), "who received the lot: one client, one session");
  check(await page.locator("table tbody tr", { hasText: "ana.lima@example.com" }).isVisible(), "the recall list carries the client's email");
  await shots(page, "lot-recipients");
  // Reports: the day sheet, and this month's signed session counted.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await page.getByRole("heading", { name: "Day sheet" }).waitFor();
  await page.getByRole("heading", { name: "Touch-up recalls" }).waitFor();
  const sessionsRow = page.locator("table tbody tr").filter({ hasText: /\b1\b/ }).first();
  await sessionsRow.waitFor();
  check(true, "the sessions per month count the session charted");
  await shots(page, "reports");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Clients" }).click();
  await page.getByRole("link", { name: "Ana Lima" }).first().waitFor();

  // Front desk: contact details, no clinical notes.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByLabel("Email").fill("desk@clinic.example");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Ana Lima" }).first().click();
  await page.getByRole("heading", { name: "Ana Lima" }).waitFor();
  check(!(await page.getByText("Clinical notes").isVisible()) && !(await page.getByText("Diffuse thinning").isVisible()),
        "front desk sees no clinical notes");
  await page.locator(".desk-quote > summary").first().click();
  await page.locator(".desk-quote").getByText("Total").first().waitFor();
  check(await page.getByText("the latest plan").isVisible(), "the front desk reads the quote and sees which plan is the latest");
  await shots(page, "client-page-front-desk");
  await page.getByRole("link", { name: "Clinic" }).click();
  await page.getByRole("heading", { name: "Clinic settings" }).waitFor();
  check((await page.getByLabel("Clinic name").inputValue()) === "Harbour SMP Clinic" && (await page.getByLabel("Clinic name").isDisabled()),
        "the front desk reads the clinic's settings but cannot change them");
  // The diary, kept by the front desk: a booking on the clinic's clock (London), a double
  // booking refused at the practitioner, a cancellation.
  const clinicNow = await (await page.request.get(`${server.url}/api/v1/clinic`)).json();
  const holidays = new Set(clinicNow.clinic.holidays);
  let day = new Date(`${clinicNow.today}T00:00:00Z`);
  do day = new Date(day.getTime() + 86400000); while (day.getUTCDay() !== 1 || holidays.has(day.toISOString().slice(0, 10)));
  const monday = day.toISOString().slice(0, 10);
  await page.getByRole("link", { name: "Diary" }).click();
  await page.getByRole("heading", { name: "Diary" }).waitFor();
  await page.getByText("times in the clinic's time zone, Europe/London").waitFor();
  const book = page.getByRole("form", { name: "Book an appointment" });
  const bookAt = async (time) => {
    await book.getByLabel("Find the client").fill("Ana");
    await book.getByLabel("Client", { exact: true }).locator("option", { hasText: "Ana Lima" }).waitFor({ state: "attached" });
    await book.getByLabel("Client", { exact: true }).selectOption({ label: "Ana Lima" });
    await book.getByLabel("Practitioner").selectOption({ label: "Olivia Owner" });
    await book.getByLabel("Day").fill(monday);
    await book.getByLabel("Time").fill(time);
    await book.getByRole("button", { name: "Book" }).click();
  };
  await bookAt("10:00");
  await page.getByText(/^Booked: Ana Lima/).waitFor();
  const item = page.locator(".diary__item", { hasText: "Ana Lima" }).first();
  await item.waitFor();
  check((await item.textContent()).includes("10:00–11:00"), `the booking shows at 10:00-11:00 on the clinic's clock (${await item.textContent()})`);
  await shots(page, "diary");
  await bookAt("10:30");
  const busy = book.locator(".field--error .field__error").first();
  await busy.waitFor();
  check(/practitioner is free/.test(await busy.textContent()), `a double booking is refused at the practitioner: ${await busy.textContent()}`);
  await shots(page, "diary-double-booking");
  await item.getByRole("button", { name: /^Cancel Ana Lima/ }).click();
  await item.getByRole("button", { name: "Yes, cancel it" }).click();
  await page.locator(".diary__item--cancelled", { hasText: "Ana Lima" }).waitFor();
  check(true, "a cancelled appointment stays in the diary, marked cancelled");
  // A session for Ana: refused, every rule it breaks named; only clinical roles may book against them.
  await book.getByLabel("Kind").selectOption({ label: "Session" });
  await bookAt("10:00");
  const refusal = book.getByRole("group", { name: "Rules the booking breaks" });
  await refusal.waitFor();
  const refused = await refusal.textContent();
  check(/the credentials: expected the practitioner's bloodborne-pathogens training/.test(refused), `the credentials rule is named: ${refused}`);
  check(/The credentials cannot be booked against/.test(refused), "nobody is offered to book against the credentials");
  check(!(await book.getByLabel("Why book against the rule").isVisible().catch(() => false)), "the front desk is offered no override");
  await shots(page, "diary-refused-session");

  check(consoleErrors.length === 0, `no console errors (${consoleErrors.join("; ")})`);
  check(badResponses.length === 0, `no failed request but the API's expected refusals (${badResponses.join("; ")})`);
} finally {
  await browser.close();
  await stop(server).catch(() => {});
  rmSync(work, { recursive: true, force: true });
}

if (failures.length) {
  console.error(`e2e (${label}): ${failures.length} failed`);
  process.exit(1);
}
console.log(`e2e (${label}): every step passed; screenshots in ${out}`);
