//! The demo conference's "European Cluster Manager of the Year": six cluster managers
//! nominated by attendees of other clusters, four of them shortlisted with a statement in
//! the conference's four languages. Opening the vote is left to the organiser.

use sqlx::PgConnection;
use uuid::Uuid;

use super::localized;
use super::people::CLUSTERS;
use crate::awards::seed::{shortlisted, Nominee};
use crate::awards::wire::{CandidateInput, ElectionInput, Method, NominationInput};

struct DemoNominee {
    /// The cluster (in `CLUSTERS`) whose manager, its first member, is nominated.
    cluster: usize,
    /// The cluster whose second member nominates them.
    nominated_by: usize,
    /// Why, in the nominator's words.
    nomination: &'static str,
    /// The ballot's statement in EN, FR, NL, DE, if shortlisted.
    shortlisted: Option<[&'static str; 4]>,
}

const NOMINEES: [DemoNominee; 6] = [
    DemoNominee {
        cluster: 0,
        nominated_by: 1,
        nomination: "Dominique turned a regional textile cluster into a cross-border one: our Flemish members now develop products with French mills.",
        shortlisted: Some([
            "Built the first Franco-Belgian textile value chain, from recycled fibre to finished product, with 40 companies on both sides of the border.",
            "A bâti la première chaîne de valeur textile franco-belge, de la fibre recyclée au produit fini, avec 40 entreprises des deux côtés de la frontière.",
            "Bouwde de eerste Frans-Belgische textielwaardeketen, van gerecycleerde vezel tot eindproduct, met 40 bedrijven aan beide kanten van de grens.",
            "Hat die erste französisch-belgische Textil-Wertschöpfungskette aufgebaut, von der recycelten Faser bis zum Endprodukt, mit 40 Unternehmen beiderseits der Grenze.",
        ]),
    },
    DemoNominee {
        cluster: 3,
        nominated_by: 6,
        nomination: "Sanne opened the Eindhoven cleanrooms to start-ups from five countries and brought photonics into medical diagnostics.",
        shortlisted: Some([
            "Opened shared cleanroom access to 25 start-ups from five countries and led the cluster's first joint Horizon Europe project with health clusters.",
            "A ouvert l'accès partagé aux salles blanches à 25 start-up de cinq pays et mené le premier projet Horizon Europe du cluster avec des clusters santé.",
            "Opende de cleanrooms voor 25 start-ups uit vijf landen en leidde het eerste gezamenlijke Horizon Europe-project van het cluster met zorgclusters.",
            "Öffnete die Reinräume für 25 Start-ups aus fünf Ländern und leitete das erste gemeinsame Horizon-Europe-Projekt des Clusters mit Gesundheitsclustern.",
        ]),
    },
    DemoNominee {
        cluster: 8,
        nominated_by: 4,
        nomination: "Ainhoa made the green hydrogen corridor between Bilbao and Rotterdam happen.",
        shortlisted: Some([
            "Brought energy and port clusters together for the Bilbao–Rotterdam green hydrogen corridor, now with 12 partner regions.",
            "A réuni clusters de l'énergie et clusters portuaires autour du corridor d'hydrogène vert Bilbao–Rotterdam, qui compte aujourd'hui 12 régions partenaires.",
            "Bracht energie- en havenclusters samen voor de groene waterstofcorridor Bilbao–Rotterdam, nu met 12 partnerregio's.",
            "Brachte Energie- und Hafencluster für den grünen Wasserstoffkorridor Bilbao–Rotterdam zusammen, heute mit 12 Partnerregionen.",
        ]),
    },
    DemoNominee {
        cluster: 9,
        nominated_by: 5,
        nomination: "Agnieszka's digital transformation vouchers helped 60 manufacturers in Bavaria and Silesia.",
        shortlisted: Some([
            "Created cross-border digitalisation vouchers pairing Silesian software houses with 60 manufacturers in Germany and Poland.",
            "A créé des chèques de numérisation transfrontaliers associant des éditeurs silésiens à 60 industriels en Allemagne et en Pologne.",
            "Creëerde grensoverschrijdende digitaliseringsvouchers die Silezische softwarebedrijven koppelen aan 60 fabrikanten in Duitsland en Polen.",
            "Schuf grenzüberschreitende Digitalisierungsgutscheine, die schlesische Softwarehäuser mit 60 Herstellern in Deutschland und Polen zusammenbringen.",
        ]),
    },
    DemoNominee {
        cluster: 6,
        nominated_by: 7,
        nomination: "Anna runs the clinical trial network every biotech start-up in our region relies on.",
        shortlisted: None,
    },
    DemoNominee {
        cluster: 13,
        nominated_by: 11,
        nomination: "Mette showed textile and food companies how to halve their water use.",
        shortlisted: None,
    },
];

/// Loads the election into `conference`, set up by `organiser`; `attendees` are the demo
/// attendees, four per cluster in the order of `CLUSTERS`.
pub async fn load(
    db: &mut PgConnection,
    conference: Uuid,
    organiser: Uuid,
    attendees: &[Uuid],
) -> anyhow::Result<()> {
    let election = ElectionInput {
        title: localized([
            "European Cluster Manager of the Year 2026",
            "Manager de cluster européen de l'année 2026",
            "Europese Clustermanager van het Jaar 2026",
            "Europäischer Clustermanager des Jahres 2026",
        ]),
        description: localized([
            "Attendees elect the cluster manager whose work across borders inspired them most this year. The ballot is secret; each voter keeps a receipt to find their ballot on the public board after the count.",
            "Les participants élisent le manager de cluster dont le travail par-delà les frontières les a le plus inspirés cette année. Le vote est secret ; chaque votant garde un reçu pour retrouver son bulletin sur le tableau public après le dépouillement.",
            "De deelnemers kiezen de clustermanager wiens grensoverschrijdende werk hen dit jaar het meest inspireerde. De stemming is geheim; elke kiezer bewaart een ontvangstbewijs om zijn stembiljet na de telling op het openbare bord terug te vinden.",
            "Die Teilnehmenden wählen die Clustermanagerin oder den Clustermanager, deren grenzüberschreitende Arbeit sie dieses Jahr am meisten inspiriert hat. Die Wahl ist geheim; jede Wählerin und jeder Wähler behält eine Quittung, um den eigenen Stimmzettel nach der Auszählung auf der öffentlichen Tafel wiederzufinden.",
        ]),
        method: Method::Plurality,
        opens_at: None,
        closes_at: None,
    };
    let nominees = NOMINEES
        .iter()
        .map(|nominee| {
            let cluster = &CLUSTERS[nominee.cluster];
            let (first, last) = cluster.members[0];
            let name = format!("{first} {last}");
            Nominee {
                nominated_by: attendees[nominee.nominated_by * 4 + 1],
                nomination: NominationInput {
                    name: name.clone(),
                    cluster: cluster.name.to_owned(),
                    organisation: cluster.organisation.to_owned(),
                    country: cluster.country.to_owned(),
                    statement: nominee.nomination.to_owned(),
                },
                candidate: nominee.shortlisted.map(|statement| CandidateInput {
                    nomination_id: None,
                    name,
                    cluster: cluster.name.to_owned(),
                    organisation: cluster.organisation.to_owned(),
                    country: cluster.country.to_owned(),
                    photo_url: None,
                    statement: localized(statement),
                }),
            }
        })
        .collect();
    shortlisted(db, conference, organiser, &election, nominees).await?;
    Ok(())
}
