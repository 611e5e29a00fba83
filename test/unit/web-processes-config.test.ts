import { expect } from 'chai';
import { loadConfig } from '../../src/config.ts';

describe('TROIKA_WEB_PROCESSES', () => {
  it('is one web process unless set', () => {
    expect(loadConfig({}).webProcesses).to.equal(1);
    expect(loadConfig({ TROIKA_WEB_PROCESSES: '' }).webProcesses).to.equal(1);
    expect(loadConfig({ TROIKA_WEB_PROCESSES: '2' }).webProcesses).to.equal(2);
  });

  it('refuses anything but a whole number from 1 to 12, naming the variable', () => {
    for (const value of ['0', '-1', '1.5', 'two', '13']) {
      expect(() => loadConfig({ TROIKA_WEB_PROCESSES: value }), value).to.throw(/TROIKA_WEB_PROCESSES: must be a whole number of web processes from 1 to 12/);
    }
  });
});
