// Every page a person can reach, in both languages, at desktop and phone width, checked by axe-core:
// no serious or critical violation, and at phone width nothing sticks out sideways.
import { expect } from 'chai';
import type { Browser, Page } from 'puppeteer';
import { launchBrowser, screenshotOnFailure, fill } from '../helpers/browser.ts';
import { expectAccessible, expectNoHorizontalOverflow } from '../helpers/axe.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { startTestApp, setPassword, PASSWORD, type TestApp } from '../helpers/web.ts';
import { makeEngagement, makeUser, correctAnswers, programmeContent, type Cast } from '../helpers/factories.ts';
import { contentOf } from '../helpers/content.ts';
import { submitDocumentVersion, approveDocument, requestChanges } from '../../src/documents/documents.service.ts';
import { issueToken } from '../../src/users/invitations.service.ts';
import { submitQuiz, submitPractical } from '../../src/training/training.service.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';
import { User } from '../../src/users/user.entity.ts';
import type { Locale } from '../../src/web/i18n/i18n.ts';

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

type Role = 'consultant' | 'owner' | 'staff' | 'admin' | 'signedOut';

/** One app and its data per language: an engagement in Preparation with a document under review and training under way. */
interface World {
  db: TestDatabase;
  app: TestApp;
  engagementId: string;
  cast: Cast;
  admin: User;
  conceptId: string;
  programmeId: string;
  /** The sales staff member's modules: one untouched (the quiz form), one passed with work submitted (results, review). */
  freshModule: string;
  passedModule: string;
  invitationPath: string;
  pages: Map<Role, Page>;
}

async function buildWorld(browser: Browser, locale: Locale): Promise<World> {
  const db = await createTestDatabase();
  const app = await startTestApp(db);
  const { engagementId, cast } = await makeEngagement(app.deps);
  const admin = await makeUser(db.orm, 'Firm Admin', 'admin');
  const em = db.orm.em.fork();
  const people = [cast.consultant, cast.owner, ...cast.staff, cast.outsider, admin];
  for (const person of people) await setPassword(db, person.id);
  await em.nativeUpdate(User, { id: { $in: people.map((p) => p.id) } }, { locale });

  // A concept the owner sent back, then a second version waiting for the owner: a diff to read, a comment to show.
  const first = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'content-concept', await contentOf('content-concept', 'Monday: new bakes'));
  await requestChanges(app.deps, cast.owner.id, engagementId, first.document.id, first.contentHash, 'Please add the weekend posts.');
  await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'content-concept', await contentOf('content-concept', 'Monday: new bakes, Saturday: family recipes'));

  // The approved training programme gives the staff their modules.
  const engagement = await em.findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] });
  const methodology = engagement.methodology.definition;
  const programme = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, methodology.training.programmeDocument!, programmeContent(methodology)!);
  await approveDocument(app.deps, cast.owner.id, engagementId, programme.document.id, programme.contentHash);
  const assignments = await em.find(TrainingAssignment, { engagement: engagementId, user: cast.staff[0]!.id }, { orderBy: { moduleId: 'asc' } });
  expect(assignments.length, 'modules of the sales staff member').to.be.at.least(2);
  const [passed, fresh] = assignments as [TrainingAssignment, TrainingAssignment];
  const passedDef = methodology.trainingModules.find((m) => m.id === passed.moduleId)!;
  await submitQuiz(app.deps, cast.staff[0]!.id, engagementId, passed.id, correctAnswers(passedDef));
  await submitPractical(app.deps, cast.staff[0]!.id, engagementId, passed.id, 'My practical work, written with the checklist in mind.');

  // A person invited but not yet joined: the link their e-mail would carry.
  const invitee = await makeUser(db.orm, 'Invited Person');
  const invitationPath = `/invitations/${await issueToken(em, em.getReference(User, invitee.id), 'invite', app.deps.clock(), engagementId)}`;

  const pages = new Map<Role, Page>();
  // Without the cache every visit gets its page fresh: a 304 would hide the status it was sent with.
  const newPage = async () => {
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setCacheEnabled(false);
    return page;
  };
  const signedIn: [Role, User][] = [['consultant', cast.consultant], ['owner', cast.owner], ['staff', cast.staff[0]!], ['admin', admin]];
  for (const [role, user] of signedIn) {
    const page = await newPage();
    await signIn(page, app.url, user.email);
    pages.set(role, page);
  }
  const signedOut = await newPage();
  await chooseLanguage(signedOut, app.url, locale);
  pages.set('signedOut', signedOut);

  return { db, app, engagementId, cast, admin, conceptId: first.document.id, programmeId: programme.document.id, freshModule: fresh.id, passedModule: passed.id, invitationPath, pages };
}

/**
 * Signs in, again (three tries at most) if a try ends on the sign-in page: on a loaded machine the new
 * session was now and then not found by the very next request. The cause is not known yet; this
 * suite is about the pages, so it does not fail on it, and the sign-in tests elsewhere cover sign-in.
 */
async function signIn(page: Page, url: string, email: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${url}/login`);
    await fill(page, 'email', email);
    await fill(page, 'password', PASSWORD);
    await press(page, 'form[action="/login"] button');
    if (new URL(page.url()).pathname === '/' || attempt === 3) break;
  }
  const refusal = await page.$eval('.flash', (f) => f.textContent ?? '').catch(() => '');
  expect(new URL(page.url()).pathname, `signed in as ${email}: ${page.url()} ${refusal}`).to.equal('/');
}

/** A passer-by's language lives in their session: chosen once, kept for the visits that follow. */
async function chooseLanguage(page: Page, url: string, locale: Locale): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.goto(`${url}/language?locale=${locale}&back=/login`);
    await page.goto(`${url}/login`);
    if ((await page.$eval('html', (h) => h.lang)) === locale) return;
  }
  throw new Error(`the signed-out page did not keep the language ${locale}`);
}

/** Clicks a form's button and waits for the page it leads to. */
async function press(page: Page, selector: string): Promise<number | undefined> {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response?.status();
}

/**
 * A page as a person reaches it: who, where, and what to do there before the check (fill a form
 * with bad input and send it, so its errors are on screen).
 */
interface Visit {
  name: string;
  role: Role;
  path: (w: World) => string;
  status?: number;
  /** Returns the status of the page it ends on. */
  prepare?: (page: Page, w: World) => Promise<number | undefined>;
}

const e = (w: World) => `/engagements/${w.engagementId}`;

const VISITS: Visit[] = [
  { name: 'sign-in', role: 'signedOut', path: () => '/login' },
  {
    name: 'sign-in with a wrong password',
    role: 'signedOut',
    path: () => '/login',
    status: 401,
    prepare: async (page) => {
      await fill(page, 'email', 'nobody@test.troika');
      await fill(page, 'password', 'not the password');
      return press(page, 'form[action="/login"] button');
    },
  },
  { name: 'forgot password', role: 'signedOut', path: () => '/password/forgot' },
  { name: 'set password (invitation link)', role: 'signedOut', path: (w) => w.invitationPath },
  {
    name: 'set password with errors',
    role: 'signedOut',
    path: (w) => w.invitationPath,
    status: 422,
    prepare: async (page) => {
      await fill(page, 'password', 'short');
      await fill(page, 'confirm', 'different');
      await noBrowserValidation(page);
      return press(page, 'main form button');
    },
  },
  { name: 'expired invitation link', role: 'signedOut', path: () => '/invitations/no-such-token', status: 410 },
  { name: 'home of the consultant', role: 'consultant', path: () => '/' },
  { name: 'home of the owner', role: 'owner', path: () => '/' },
  { name: 'home of the staff member', role: 'staff', path: () => '/' },
  { name: 'home of the firm administrator', role: 'admin', path: () => '/' },
  { name: 'new engagement', role: 'consultant', path: () => '/engagements/new' },
  { name: 'portfolio of the consultant', role: 'consultant', path: () => '/portfolio' },
  { name: 'portfolio of the firm administrator', role: 'admin', path: () => '/portfolio?sort=client' },
  { name: 'the firm’s benchmarks', role: 'consultant', path: () => '/portfolio/benchmarks' },
  { name: 'an engagement against the firm', role: 'consultant', path: (w) => `${e(w)}/benchmarks` },
  {
    name: 'new engagement with errors',
    role: 'consultant',
    path: () => '/engagements/new',
    status: 422,
    prepare: async (page) => {
      await fill(page, 'site', 'not a site');
      await fill(page, 'feeAmount', 'lots');
      return press(page, 'form[action="/engagements"] button');
    },
  },
  { name: 'engagement page of the consultant', role: 'consultant', path: e },
  {
    name: 'engagement page with the invitation form in error',
    role: 'consultant',
    path: e,
    status: 422,
    prepare: async (page) => {
      await noBrowserValidation(page);
      // The invitation form is folded until opened, as a person would open it.
      await page.click('details.invite > summary');
      await fill(page, 'email', 'not an address');
      return press(page, 'form[action$="/participants"] button');
    },
  },
  { name: 'engagement page of the owner', role: 'owner', path: e },
  { name: 'engagement page of the staff member', role: 'staff', path: e },
  { name: 'document under review, for the owner', role: 'owner', path: (w) => `${e(w)}/documents/${w.conceptId}` },
  { name: 'document without marks, for the owner', role: 'owner', path: (w) => `${e(w)}/documents/${w.conceptId}?marks=off` },
  { name: 'document, for the consultant', role: 'consultant', path: (w) => `${e(w)}/documents/${w.programmeId}` },
  { name: 'document editor with the owner’s comment', role: 'consultant', path: (w) => `${e(w)}/documents/new?type=content-concept` },
  { name: 'document editor with tables', role: 'consultant', path: (w) => `${e(w)}/documents/new?type=competitor-analysis` },
  {
    name: 'document editor with errors',
    role: 'consultant',
    path: (w) => `${e(w)}/documents/new?type=competitor-analysis`,
    status: 422,
    prepare: async (page) => {
      await noBrowserValidation(page);
      const status = await press(page, 'button[name="intent"][value="submit"]');
      expect(await page.$$('.field-error'), 'errors shown in the editor').to.not.have.length(0);
      return status;
    },
  },
  { name: 'training module with its quiz', role: 'staff', path: (w) => `${e(w)}/training/${w.freshModule}` },
  { name: 'training module passed, with results', role: 'staff', path: (w) => `${e(w)}/training/${w.passedModule}` },
  { name: 'practical work to review', role: 'consultant', path: (w) => `${e(w)}/training/${w.passedModule}` },
  { name: 'training matrix', role: 'consultant', path: (w) => `${e(w)}/training` },
  { name: 'My tasks of the staff member', role: 'staff', path: () => '/tasks' },
  { name: 'My tasks of the consultant', role: 'consultant', path: () => '/tasks' },
  { name: 'firm consultants', role: 'admin', path: () => '/firm/consultants' },
  {
    name: 'firm consultants with errors',
    role: 'admin',
    path: () => '/firm/consultants',
    status: 422,
    prepare: async (page) => {
      await noBrowserValidation(page);
      await fill(page, 'email', 'not an address');
      return press(page, 'form[action="/firm/consultants"] button');
    },
  },
  {
    name: 'API tokens with a new token shown once',
    role: 'owner',
    path: () => '/account/tokens',
    prepare: async (page) => {
      await fill(page, 'name', 'reporting script');
      return press(page, 'form[action="/account/tokens"] button');
    },
  },
  { name: 'API tokens listed', role: 'owner', path: () => '/account/tokens' },
  { name: 'not found (404)', role: 'consultant', path: () => '/no-such-page', status: 404 },
  { name: 'forbidden (403)', role: 'staff', path: () => '/firm/consultants', status: 403 },
];

/** The server's messages are what is checked, so the browser's own checks must not stop the post. */
async function noBrowserValidation(page: Page): Promise<void> {
  await page.$$eval('form', (forms) => forms.forEach((f) => f.setAttribute('novalidate', '')));
}

for (const locale of ['en', 'ru'] as const) {
  describe(`accessibility of every page (${locale})`, function () {
    this.timeout(120_000);
    let browser: Browser;
    let world: World;
    let current: Page | undefined;

    before(async function () {
      this.timeout(180_000);
      browser = await launchBrowser();
      world = await buildWorld(browser, locale);
    });
    after(async () => {
      // What the app wrote to its log (a lost session, a failed save) helps explain a flaky page.
      if (world?.app.logs.length) console.log(`app log (${locale}):\n  ${world.app.logs.join('\n  ')}`);
      await browser?.close();
      await world?.app.close();
      await world?.db.drop();
    });
    afterEach(async function () {
      await screenshotOnFailure(this, current);
    });

    // One visit per page, checked at each width in turn: the phone layout is the same page with other
    // media rules, so resizing is enough and the form posts of a visit happen once.
    for (const visit of VISITS) {
      it(`${visit.name} at ${WIDTHS.map((w) => w.width).join(' and ')} px`, async () => {
        const page = (current = world.pages.get(visit.role)!);
        await page.setViewport({ width: WIDTHS[0].width, height: WIDTHS[0].height });
        const response = await page.goto(world.app.url + visit.path(world));
        const status = visit.prepare ? await visit.prepare(page, world) : response?.status();
        const label = `${visit.name} (${locale}, ${page.url()})`;
        expect(status, `${label}: status`).to.equal(visit.status ?? 200);
        expect(await page.$eval('html', (h) => h.lang), `${label}: lang`).to.equal(locale);
        const problems: string[] = [];
        for (const size of WIDTHS) {
          await page.setViewport({ width: size.width, height: size.height });
          const at = `${label} at ${size.width} px`;
          await expectAccessible(page, at).catch((error: Error) => problems.push(error.message));
          if (size.width < 640) {
            await expectNoHorizontalOverflow(page, at).catch((error: Error) => problems.push(error.message));
            await expectControlsInView(page, at).catch((error: Error) => problems.push(error.message));
          }
        }
        if (problems.length) throw new Error(problems.join('\n'));
      });
    }

    it('the language switch works at 390 px, signed in and signed out', async () => {
      const other = locale === 'en' ? 'ru' : 'en';
      for (const role of ['signedOut', 'staff'] as const) {
        const page = (current = world.pages.get(role)!);
        await page.setViewport({ width: 390, height: 844 });
        await page.goto(`${world.app.url}${role === 'staff' ? '/tasks' : '/login'}`);
        await press(page, 'form[action="/language"] button');
        expect(await page.$eval('html', (h) => h.lang), `${role}: language after the switch`).to.equal(other);
        expect(new URL(page.url()).pathname, `${role}: stays on the page`).to.equal(role === 'staff' ? '/tasks' : '/login');
        await expectNoHorizontalOverflow(page, `${role} after switching language`);
        await press(page, 'form[action="/language"] button');
        expect(await page.$eval('html', (h) => h.lang), `${role}: language switched back`).to.equal(locale);
      }
    });

    it('forms post at 390 px: a new engagement is created and a document draft saved', async () => {
      const page = (current = world.pages.get('consultant')!);
      await page.setViewport({ width: 390, height: 844 });
      await page.goto(`${world.app.url}/engagements/new`);
      await fill(page, 'clientName', `Phone client ${locale}`);
      await page.$eval('[name="plannedStart"]', (el) => ((el as HTMLInputElement).value = '2026-03-09'));
      await press(page, 'form[action="/engagements"] button');
      expect(await page.$eval('h1', (h) => h.textContent)).to.equal(`Phone client ${locale}`);
      await page.goto(`${world.app.url}${e(world)}/documents/new?type=competitor-analysis`);
      await fill(page, 'f.competitors.0.name', 'Хлебный дом');
      await press(page, 'button[name="intent"][value="save"]');
      // The saved draft is the proof the phone form posted, and its notice that the person is told so.
      expect(new URL(page.url()).pathname, 'lands on the saved document').to.match(/\/documents\/[0-9a-f-]{36}$/);
      expect(await page.$eval('main', (m) => m.textContent ?? ''), 'the draft holds the typed row').to.contain('Хлебный дом');
      expect(await page.$('.flash-notice'), 'a saved-draft notice').to.not.equal(null);
    });

    it('the check itself fails on an unlabelled field, pale text and a reference to a missing id', async () => {
      const page = (current = world.pages.get('signedOut')!);
      await page.goto(`${world.app.url}/login`);
      // The colour is set through the CSSOM: the page's CSP would drop a style attribute.
      await page.$eval('main', (main) => {
        main.insertAdjacentHTML('beforeend', '<input name="nameless" aria-describedby="nowhere"><p id="pale">pale words</p>');
        document.getElementById('pale')!.style.color = '#ccc';
      });
      const failure = await expectAccessible(page, 'login with flaws').then(() => null, (error: Error) => error.message);
      expect(failure).to.contain('label').and.to.contain('color-contrast').and.to.contain('input[name="nameless"]').and.to.contain('aria-describedby="nowhere"');
    });

    it('shows where the keyboard focus is', async () => {
      const page = (current = world.pages.get('signedOut')!);
      await page.setViewport({ width: 390, height: 844 });
      await page.goto(`${world.app.url}/password/forgot`);
      const seen: string[] = [];
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        const focus = await page.evaluate(`(() => { const el = document.activeElement; const s = getComputedStyle(el);
          return { tag: el.tagName, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, visible: el.matches(':focus-visible') }; })()`) as { tag: string; outline: boolean; visible: boolean };
        expect(focus.visible && focus.outline, `focus ring on ${focus.tag} after ${i + 1} Tab(s)`).to.equal(true);
        seen.push(focus.tag);
      }
      expect(seen, 'Tab reaches links, fields and buttons').to.include.members(['A', 'BUTTON']);
    });
  });
}

/** Every visible control lies inside the window at phone width, so each form can be filled and sent. */
async function expectControlsInView(page: Page, label: string): Promise<void> {
  const outside = (await page.evaluate(`(() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')]
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.left < -1 || r.right > window.innerWidth + 1) && !el.closest('.timeline-wrap'); })
    .map((el) => el.outerHTML.slice(0, 120)))()`)) as string[];
  expect(outside, `${label}: controls outside the window: ${outside.join(' | ')}`).to.deep.equal([]);
}
