//! The open-data file of the funding granted (`subventions-92-2020T4.csv`),
//! read back against the SCDL "subventions" schema (2.1.1): its columns in
//! order, each field's form, and the sample's figures.

use crate::commun::*;

const COLONNES: [&str; 16] = [
    "nomAttribuant",
    "idAttribuant",
    "dateConvention",
    "referenceDecision",
    "nomBeneficiaire",
    "idBeneficiaire",
    "rnaBeneficiaire",
    "objet",
    "montant",
    "nature",
    "conditionsVersement",
    "datesPeriodeVersement",
    "idRAE",
    "notificationUE",
    "pourcentageSubvention",
    "dispositifAide",
];

/// `AAAA-MM-JJ`, a date of the calendar.
fn est_une_date(t: &str) -> bool {
    let p: Vec<&str> = t.split('-').collect();
    p.len() == 3
        && [4, 2, 2] == [p[0].len(), p[1].len(), p[2].len()]
        && p.iter().all(|x| x.chars().all(|c| c.is_ascii_digit()))
        && (1..=12).contains(&p[1].parse::<u32>().unwrap())
        && (1..=31).contains(&p[2].parse::<u32>().unwrap())
}

fn quatorze_chiffres(t: &str) -> bool {
    t.len() == 14 && t.chars().all(|c| c.is_ascii_digit())
}

/// Every field of `l` has the form the schema asks.
fn verifier_ligne(l: &Ligne) {
    for requis in [
        "nomAttribuant",
        "nomBeneficiaire",
        "objet",
        "nature",
        "conditionsVersement",
    ] {
        assert!(!l[requis].is_empty(), "{requis} vide : {l:?}");
    }
    assert!(quatorze_chiffres(&l["idAttribuant"]), "{l:?}");
    assert!(l["idBeneficiaire"].is_empty() || quatorze_chiffres(&l["idBeneficiaire"]));
    assert!(est_une_date(&l["dateConvention"]), "{l:?}");
    assert!(l["objet"].chars().count() < 256);
    let montant: f64 = l["montant"].parse().expect("montant au point décimal");
    assert!(montant > 0.0);
    assert_eq!(l["nature"], "aide en numéraire");
    let versement: Vec<&str> = l["datesPeriodeVersement"].split('/').collect();
    assert!(versement.iter().all(|d| est_une_date(d)), "{l:?}");
    let attendu = if versement.len() == 2 {
        assert!(versement[0] <= versement[1]);
        "échelonné"
    } else {
        "unique"
    };
    assert_eq!(l["conditionsVersement"], attendu);
    assert!(["oui", "non"].contains(&l["notificationUE"].as_str()));
    assert_eq!(l["pourcentageSubvention"], "1.00");
}

fn somme(lignes: &[&Ligne]) -> f64 {
    lignes
        .iter()
        .map(|l| l["montant"].parse::<f64>().unwrap())
        .sum()
}

/// The sample's granted subsidies: every retained dossier but the loans
/// and the one without an amount (said on the way), each row valid.
#[test]
fn les_subventions_accordees_suivent_le_schema_scdl() {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    let message = stderr(&sortie);
    assert!(sortie.status.success(), "{message}");
    assert!(
        message.contains("subventions-92-2020T4.csv: 1 subvention accordée sans porteur, montant, date de décision ou date de versement n'y figure pas"),
        "{message}"
    );
    let rapport = dossier.path().join("reports/2020T4");
    let chemin = rapport.join("subventions-92-2020T4.csv");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    assert_eq!(texte.lines().next().unwrap(), COLONNES.join(","));
    let lignes = lire_lignes(&chemin);
    lignes.iter().for_each(verifier_ligne);
    // DSIL relance 4, fonds friches 3, associations 3, industry 16, NPNRU's
    // 4 grants (its loans are no subsidies).
    assert_eq!(lignes.len(), 30);
    let de = |objet: &str| {
        lignes
            .iter()
            .filter(|l| l["objet"].contains(objet))
            .collect::<Vec<_>>()
    };
    let sante = de("Centre de santé");
    assert_eq!(sante.len(), 1);
    let s = sante[0];
    assert_eq!(s["nomAttribuant"], "Préfecture des Hauts-de-Seine");
    assert_eq!(s["idAttribuant"], "17920001800011");
    assert_eq!(s["nomBeneficiaire"], "Ville de Nanterre");
    assert_eq!(s["montant"], "1400000.00");
    assert_eq!(s["dateConvention"], "2020-09-15");
    assert_eq!(s["referenceDecision"], "DSIL-2020-01");
    assert_eq!(s["datesPeriodeVersement"], "2020-10-01/2022-12-31");
    assert_eq!(s["notificationUE"], "non");
    assert_eq!(somme(&de("Renouvellement urbain")), 142_300_000.0);
    // The industry's 16 retained have no title: their scheme is the object.
    assert_eq!(somme(&de("Soutien à l'industrie")), 26_500_000.0);
    assert_eq!(de("Soutien à l'industrie").len(), 16);
    let associations = de("fracture numérique");
    assert_eq!(associations[0]["conditionsVersement"], "unique");
    assert!(!lignes
        .iter()
        .any(|l| l["nomBeneficiaire"].contains("non retenue")
            || l["objet"] == "Gymnase"
            || l["objet"].contains("programmation")));
    let manifeste = std::fs::read_to_string(rapport.join("manifest.json")).unwrap();
    assert!(manifeste.contains("subventions-92-2020T4.csv"));
}

/// A beneficiary's SIRET is written without its spaces; without
/// `[donnees_ouvertes]` no such file is written.
#[test]
fn le_siret_du_beneficiaire_et_sans_reglage_pas_de_fichier() {
    let dossier = copie_des_entrees();
    let registre = dossier.path().join("financements_plan_relance.csv");
    let texte = std::fs::read_to_string(&registre).unwrap().replacen(
        "Retenu;2020-09-15;;;;;;;DSIL-2020-01",
        "Retenu;2020-09-15;;;;;;219 200 505 00011;DSIL-2020-01",
        1,
    );
    std::fs::write(&registre, texte).unwrap();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    let lignes = lire_lignes(&rapport.join("subventions-92-2020T4.csv"));
    let sante = lignes
        .iter()
        .find(|l| l["objet"] == "Centre de santé")
        .unwrap();
    assert_eq!(sante["idBeneficiaire"], "21920050500011");

    let sans = copie_des_entrees();
    let config = sans.path().join("conseil.toml");
    let texte = std::fs::read_to_string(&config).unwrap();
    let debut = texte.find("[donnees_ouvertes]").unwrap();
    let fin = texte[debut..].find("[envoi]").unwrap() + debut;
    std::fs::write(&config, format!("{}{}", &texte[..debut], &texte[fin..])).unwrap();
    let sortie = run(sans.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = sans.path().join("reports/2020T4");
    assert!(rapport.join("annexe-92-2020T4.pdf").exists());
    assert!(!rapport.join("subventions-92-2020T4.csv").exists());
}
