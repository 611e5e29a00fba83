import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBrowserPool, type PdfPrinter } from '../../src/pdf/browser-pool.ts';
import { processTree, probeSandbox, ensurePrintUser, isAlive, PRINT_USER, PdfUnavailableError } from '../../src/pdf/browser-process.ts';
import { pageTexts } from '../../src/pdf/outline.ts';
import { listeningTcpSockets, uidsOf, seccompOf, commandLineOf, environmentOf } from '../helpers/pdf.ts';

const OPTIONS = { headerTemplate: '<span></span>', footerTemplate: '<span></span>' };
const isRoot = process.getuid!() === 0;
const uidOf = (name: string) => Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
const profileOf = (pid: number) => commandLineOf(pid).find((arg) => arg.startsWith('--user-data-dir='))!.split('=')[1]!;

describe('The PDF browser keeps to itself', function () {
  this.timeout(60_000);
  let printer: PdfPrinter;
  let pid: number;
  // Chromium starts and ends helper processes as it likes: each test looks at the tree as it is then.
  const tree = () => processTree(pid);
  const logged: string[] = [];

  before(async () => {
    // A secret in our environment must not reach the browser's.
    process.env.TROIKA_ISOLATION_MARKER = 'secret-marker';
    printer = createBrowserPool({ log: (line) => logged.push(line) });
    const text = (await pageTexts(await printer.print('<p>Привет, печать из песочницы</p>', OPTIONS))).join(' ');
    expect(text, 'printing still works').to.contain('Привет, печать из песочницы');
    pid = (await printer.browserPid())!;
  });
  after(async () => {
    delete process.env.TROIKA_ISOLATION_MARKER;
    await printer.close();
  });

  it('talks over a pipe and opens no TCP port in any of its processes', () => {
    const pids = tree().map((p) => p.pid);
    expect(pids.length, 'a browser with its helper processes').to.be.greaterThan(1);
    expect(listeningTcpSockets(pids)).to.deep.equal([]);
    const command = commandLineOf(pid);
    expect(command).to.include('--remote-debugging-pipe');
    expect(command.filter((arg) => arg.startsWith('--remote-debugging-port'))).to.deep.equal([]);
  });

  it('runs every one of its processes inside the tree that is killed with it', () => {
    const profile = profileOf(pid);
    const users = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && commandLineOf(Number(entry), []).some((arg) => arg.includes(profile)));
    const inTree = new Set(tree().map((p) => p.pid));
    const outside = users.map(Number).filter((p) => !inTree.has(p) && commandLineOf(p, []).length > 0);
    expect(users.length).to.be.greaterThan(1);
    expect(outside, 'processes that use its profile outside its tree').to.deep.equal([]);
  });

  it('runs as the unprivileged print user when we are root, as ourselves otherwise', () => {
    const expected = isRoot ? uidOf(PRINT_USER) : process.getuid!();
    if (isRoot) expect(expected).to.not.equal(0);
    const seen = tree().flatMap((p) => {
      const uids = uidsOf(p.pid);
      return uids ? [{ pid: p.pid, uids }] : [];
    });
    expect(seen.length).to.be.greaterThan(1);
    for (const { pid, uids } of seen) expect(uids, `process ${pid}`).to.deep.equal([expected, expected, expected, expected]);
  });

  it("keeps Chromium's sandbox on where the kernel allows it, and says why when it cannot", () => {
    const reason = probeSandbox(isRoot ? ensurePrintUser() : null);
    const command = commandLineOf(pid);
    if (reason === null) {
      expect(command).to.not.include('--no-sandbox');
      expect(tree().some((p) => seccompOf(p.pid) === 2), 'renderers under a seccomp filter').to.equal(true);
      expect(logged.filter((line) => /sandbox/.test(line))).to.deep.equal([]);
    } else {
      expect(command).to.include('--no-sandbox');
      expect(logged.filter((line) => /without Chromium's sandbox/.test(line))).to.have.length(1);
    }
  });

  it('gives the browser a private profile and home, and none of our environment', () => {
    const profile = profileOf(pid);
    const stat = statSync(profile);
    expect(stat.mode & 0o777).to.equal(0o700);
    expect(stat.uid).to.equal(uidsOf(pid)?.[0]);
    const env = environmentOf(pid);
    expect(env).to.include(`HOME=${profile}`);
    expect(env.filter((line) => line.includes('secret-marker'))).to.deep.equal([]);
  });

  it('leaves neither a process nor its profile behind after closing', async () => {
    const standalone = createBrowserPool();
    await standalone.print('<p>раз</p>', OPTIONS);
    const own = processTree((await standalone.browserPid())!);
    const profile = profileOf(own[0]!.pid);
    await standalone.close();
    expect(own.filter(isAlive)).to.deep.equal([]);
    expect(existsSync(profile), 'the profile is removed').to.equal(false);
  });
});

describe('a browser the print user cannot reach', function () {
  this.timeout(30_000);
  it('is refused with a reason (PDFs are never printed as root), not started', async function () {
    if (!isRoot) {
      console.log('      (skipped: only root has private folders the print user cannot enter)');
      return this.skip();
    }
    const folder = mkdtempSync(join(tmpdir(), 'troika-private-browser-'));
    try {
      const browser = join(folder, 'chrome');
      writeFileSync(browser, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      const printer = createBrowserPool({ executablePath: browser });
      const error = await printer.print('<p>x</p>', OPTIONS).catch((e: unknown) => e);
      await printer.close();
      expect(error).to.be.instanceOf(PdfUnavailableError);
      expect((error as PdfUnavailableError).code).to.equal('no-browser');
      expect((error as Error).message).to.contain('cannot enter');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
