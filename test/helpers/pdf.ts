// One browser pool for the whole test run, as the app keeps one per process; closed by the root hook.
import { resolve } from 'node:path';
import { createBrowserPool, type PdfPrinter } from '../../src/pdf/browser-pool.ts';
import { createPdfRenderer, type PdfRenderer } from '../../src/pdf/pdf-renderer.ts';
import { createHtmlRenderer, hashTemplates } from '../../src/pdf/render-html.ts';

let printer: PdfPrinter | undefined;
let renderer: PdfRenderer | undefined;

export const TEMPLATES_DIR = resolve('templates');

export function sharedPdf(): { pdf: PdfRenderer; templatesHash: string; printer: PdfPrinter } {
  printer ??= createBrowserPool();
  renderer ??= createPdfRenderer(createHtmlRenderer(TEMPLATES_DIR), printer);
  return { pdf: renderer, templatesHash: hashTemplates(TEMPLATES_DIR), printer };
}

export async function closeSharedPdf(): Promise<void> {
  await printer?.close();
  printer = undefined;
  renderer = undefined;
}
