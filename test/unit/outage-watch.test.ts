import { expect } from 'chai';
import { createOutageWatch } from '../../src/web/database-outage.ts';

describe('the outage log', () => {
  it('keeps one outage to two lines even when the stopping server still answers between refusals', () => {
    let t = 0;
    const lines: string[] = [];
    const watch = createOutageWatch((line) => lines.push(line), () => t);
    const refused = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    watch.noteUnreachable(refused);
    t = 5;
    watch.noteAnswered(); // a query that slipped through while the server stops
    t = 8;
    watch.noteUnreachable(refused);
    t = 3000;
    watch.noteUnreachable(refused);
    t = 3400;
    watch.noteAnswered(); // back, after a quiet moment
    watch.noteAnswered();
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^database unreachable \(57P01/);
    expect(lines[1]).to.match(/^database back after 3 s; 3 request\(s\) were answered 503 meanwhile$/);
  });
});
