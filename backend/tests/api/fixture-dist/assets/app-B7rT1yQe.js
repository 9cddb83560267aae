// A stand-in for the built script: the tests of static serving read this fixture, not frontend/dist.
const sessions = [
  { kind: 'plenary', title: { en: 'Opening plenary', fr: 'Séance plénière d’ouverture', nl: 'Openingsplenaire', de: 'Eröffnungsplenum' } },
  { kind: 'panel', title: { en: 'Cross-border cooperation', fr: 'Coopération transfrontalière', nl: 'Grensoverschrijdende samenwerking', de: 'Grenzüberschreitende Zusammenarbeit' } },
  { kind: 'workshop', title: { en: 'Textile – innovative materials – design', fr: 'Textile – matériaux innovants – design', nl: 'Textiel – innovatieve materialen – ontwerp', de: 'Textil – innovative Materialien – Design' } },
  { kind: 'networking', title: { en: 'Speed networking, round one', fr: 'Speed networking, premier tour', nl: 'Speeddaten, eerste ronde', de: 'Speed-Networking, erste Runde' } },
  { kind: 'b2b', title: { en: 'B2B meetings between clusters', fr: 'Rendez-vous B2B entre clusters', nl: 'B2B-gesprekken tussen clusters', de: 'B2B-Treffen zwischen Clustern' } },
  { kind: 'award', title: { en: 'European Cluster Manager of the Year', fr: 'Manager de cluster européen de l’année', nl: 'Europese clustermanager van het jaar', de: 'Europäischer Clustermanager des Jahres' } },
];

export function titleIn(session, language) {
  return session.title[language] ?? session.title.en;
}

export function agenda(language) {
  const list = document.createElement('ul');
  for (const session of sessions) {
    const item = document.createElement('li');
    item.dataset.kind = session.kind;
    item.textContent = titleIn(session, language);
    list.append(item);
  }
  return list;
}

document.getElementById('app')?.append(agenda(document.documentElement.lang || 'en'));
