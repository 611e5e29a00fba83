import { expect } from 'chai';
import { join } from 'node:path';
import { loadMethodologies, MethodologyInvalidError, type MethodologyProblem } from '../../src/methodology/methodology.loader.ts';
import { dependentsOf, findCycle } from '../../src/methodology/document-dependencies.ts';
import { METHODOLOGY_DIR } from '../helpers/factories.ts';

const DIR = join('test', 'fixtures', 'broken-dependencies');

function problemsOf(folder: string): MethodologyProblem[] {
  try {
    loadMethodologies(DIR);
  } catch (e) {
    if (e instanceof MethodologyInvalidError) return e.problems.filter((p) => p.file === join(DIR, folder, 'methodology.yaml'));
    throw e;
  }
  throw new Error('the broken dependency fixtures loaded');
}

describe('document dependencies in the methodology', () => {
  it('E1T says the content concept rests on the audience segmentation and the target criteria', () => {
    const e1t = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition;
    expect(e1t.documentTypes.find((d) => d.id === 'content-concept')!.dependsOn).to.deep.equal(['audience-segmentation', 'target-criteria']);
    expect(dependentsOf(e1t.documentTypes, 'audience-segmentation')).to.deep.equal(['content-concept']);
  });

  it('the valid base beside the broken files loads, so the problems are theirs alone', () => {
    expect(problemsOf('base')).to.deep.equal([]);
  });

  it('refuses a circle of dependencies and names it', () => {
    const problems = problemsOf('cycle');
    expect(problems.map((p) => p.message)).to.deep.equal(['the dependencies go round in a circle: audience → plan → concept → audience']);
    expect(problems[0]!.path).to.equal('documentTypes[0].dependsOn');
  });

  it('refuses an unknown type, a type depending on itself and a repeated dependency, each at its place', () => {
    const problems = problemsOf('unknown').map((p) => `${p.path}: ${p.message}`);
    expect(problems).to.have.members([
      'documentTypes[0].dependsOn[0]: document type "audience" cannot depend on itself',
      'documentTypes[1].dependsOn[1]: unknown document type "segments"',
      'documentTypes[1].dependsOn[2]: "audience" is listed twice',
    ]);
  });

  it('finds no circle in a chain and finds the shortest way back in a loop', () => {
    expect(findCycle([{ id: 'a', dependsOn: ['b'] }, { id: 'b', dependsOn: ['c'] }, { id: 'c' }])).to.equal(null);
    expect(findCycle([{ id: 'a', dependsOn: ['b'] }, { id: 'b', dependsOn: ['a'] }])).to.deep.equal(['a', 'b', 'a']);
  });
});
