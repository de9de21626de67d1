// The review flow in a real browser (headless Chromium, driven by puppeteer-core): predict two
// shared real scans with the real CLI, start `l3slice review`, load the page, check that the case
// list and the QC picture render, move the L3 middle of the real CT up one vertebra with the
// keyboard and accept, then check corrections.csv and the re-measured body composition on disk.
// Usage: node review_page_test.js L3SLICE_BINARY SHARED_DATA OUTPUT_DIR   (screenshots go to OUTPUT_DIR)
"use strict";
const { spawn, execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const puppeteer = require("puppeteer-core");

const [cli, shared, outDir] = process.argv.slice(2);
if (!cli || !shared || !outDir) { console.error("usage: node review_page_test.js L3SLICE SHARED_DATA OUTPUT_DIR"); process.exit(2); }
const failures = [];
function check(ok, what) { console.log((ok ? "ok   " : "FAIL ") + what); if (!ok) failures.push(what); }

function startReview(dir) {
  return new Promise((resolve, reject) => {
    const server = spawn(cli, ["review", dir, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    server.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/open (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/);
      if (m) resolve({ server, url: m[1] });
    });
    server.on("exit", (code) => reject(new Error("review exited with " + code + ": " + out)));
  });
}

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "l3slice-review-"));
  const results = path.join(work, "predictions");
  const ct = path.join(shared, "totalseg-example", "ct.nii.gz");
  execFileSync(cli, ["predict", ct, path.join(shared, "totalseg-example", "ct-upper-abdomen.nii.gz"), "--out", results],
               { stdio: "inherit" });
  const predicted = JSON.parse(fs.readFileSync(path.join(results, "ct", "prediction.json"))).l3.middle.canonical_index;
  const { server, url } = await startReview(results);
  let browser;
  try {
    browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: "new",
                                       args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    const wrong = await page.goto(url.replace(/token=[0-9a-f]+/, "token=wrong"));
    check(wrong.status() === 403, "a wrong token gets 403");
    await page.goto(url + "&who=browser-test");
    await page.waitForSelector("body[data-ready='1']", { timeout: 20000 });
    const rows = await page.$$eval("#rows tr", (trs) => trs.map((tr) => tr.dataset.id));
    check(rows.length === 2 && rows.includes("ct") && rows.includes("ct-upper-abdomen"), "the case list shows both cases: " + rows);
    await page.click("#rows tr[data-id='ct']");
    await page.waitForFunction(() => document.getElementById("title").textContent === "ct");
    await page.waitForFunction(() => { const i = document.getElementById("qc"); return i.complete && i.naturalWidth > 100; }, { timeout: 20000 });
    check(true, "the QC picture renders");
    await page.screenshot({ path: path.join(outDir, "review-page.png") });

    // One vertebra up (W: about 35 mm, 12 slices of 3 mm), then accept.
    await page.keyboard.press("W");
    await page.keyboard.press("a");
    await page.waitForFunction(() => document.getElementById("status").dataset.saved === "move", { timeout: 30000 });
    await page.waitForSelector("#bc-numbers", { timeout: 30000 });
    const shown = await page.$eval("#bc-numbers", (e) => e.textContent);
    check(/SMA \d+\.\d cm²/.test(shown), "the re-measured numbers are shown: " + shown);
    await page.screenshot({ path: path.join(outDir, "review-page-corrected.png") });

    const csv = fs.readFileSync(path.join(results, "corrections.csv"), "utf8").trim().split("\n");
    check(csv.length === 2, "corrections.csv has one correction");
    const cells = csv[1].split(",");
    const expected = predicted + 12;
    check(cells[1] === "browser-test" && cells[2] === "ct" && cells[3] === "move" && cells[4] === String(expected) &&
          cells[5] === String(predicted), "the correction is who/ct/move/" + expected + "/" + predicted + ": " + csv[1]);
    const remeasured = JSON.parse(fs.readFileSync(path.join(results, "ct", "reviewed-bodycomp", "ct.json")));
    check(remeasured.slice === expected, "body composition was re-measured on slice " + expected);
    const original = JSON.parse(fs.readFileSync(path.join(results, "ct", "prediction.json")));
    check(original.l3.middle.canonical_index === predicted, "the original result is unchanged");
  } catch (e) {
    failures.push(String(e && e.stack || e));
    console.error(e);
  } finally {
    if (browser) await browser.close();
    server.kill("SIGINT");
    await new Promise((r) => server.on("exit", r));
    check(server.exitCode === 0, "review stops cleanly on Ctrl-C (exit " + server.exitCode + ")");
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (failures.length) { console.error(failures.length + " check(s) failed"); process.exit(1); }
  console.log("review page: all checks passed");
})();
