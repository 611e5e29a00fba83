// English texts of "a living method" (document reviews after an upstream change), kept apart so the main catalog stays small.
export const livingEn = {
  gateReviewOpen: '“{document}” needs review: “{upstream}”, which it builds on, was approved in a new version',
  gateReviewChanges: '“{document}” must change after “{upstream}” was approved anew: its new version is not approved yet',
  review: {
    title: 'Review needed: {document}',
    intro: '“{document}” (version {version}) was approved on version {from} of “{upstream}”, which it builds on. Version {to} of “{upstream}” has since been approved. Below is what changed in it.',
    status: {
      open: 'Waiting for the owner’s review',
      changesRequested: 'The owner asked for changes: a new version of “{document}” is to be approved',
      confirmed: 'Confirmed: “{document}” still holds',
      superseded: 'Settled: a new version of “{document}” was approved',
    },
    resolved: '{person}, {date}',
    openDocument: 'Open “{document}”',
    openUpstream: 'Open “{upstream}”',
    changes: 'What changed in “{upstream}”: version {from} → version {to}',
    noChanges: 'The two versions read the same.',
    hashes: 'Version hashes (SHA-256)',
    decide: 'Your answer',
    confirm: 'It still holds: confirm version {version}',
    confirmHint: 'Your confirmation names version {version} of “{document}” and version {to} of “{upstream}”.',
    whatToChange: 'What must change in “{document}”',
    requestChanges: 'Ask for changes',
    confirmed: '“{document}” is confirmed: it still holds.',
    changesRequested: 'Changes are asked for “{document}”. Its new version settles the review once you approve it.',
    comment: 'The owner’s comment',
  },
  verify: {
    title: 'What this SHA-256 names',
    version: '“{document}”, version {version}, in the engagement with {client}',
    approvedBy: 'Approved by {person}, {date}',
    notApproved: 'This version was never approved.',
    open: 'Open the document',
    pdf: {
      dossier: 'The project dossier of {client}, printed {date}',
      document: 'The PDF of “{title}” of {client}, printed {date}',
      'stage-report': 'The report on the stage “{title}” of {client}, printed {date}',
    },
    exact: 'A file with exactly this SHA-256 is the copy Troika printed; any change to the file changes its hash.',
  },
};

export const livingEventsEn = {
  document_reviewNeeded: 'flagged a document for review after the one it builds on changed',
  document_reviewConfirm: 'confirmed a document still holds after the one it builds on changed',
  document_reviewRequestChanges: 'asked for changes after reviewing a document',
};
