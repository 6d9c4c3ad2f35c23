//! Broken inputs are refused with a French message naming the file, the
//! line and the column, a non-zero exit code, and no report written.

use crate::commun::*;

/// Replaces `avant` by `apres` in one of the copied inputs.
fn alterer(dossier: &std::path::Path, fichier: &str, avant: &str, apres: &str) {
    let chemin = dossier.join(fichier);
    let texte = std::fs::read_to_string(&chemin).unwrap();
    assert!(texte.contains(avant), "{avant} absent de {fichier}");
    std::fs::write(&chemin, texte.replacen(avant, apres, 1)).unwrap();
}

const DE: &str = "demandeurs_emploi_2019T4-2020T4.csv";

fn refuse(dossier: &std::path::Path, code: i32) -> String {
    let sortie = run(dossier);
    let message = stderr(&sortie);
    assert_eq!(sortie.status.code(), Some(code), "{message}");
    assert!(
        !dossier.join("reports/2020T4").exists(),
        "rapport écrit malgré l'erreur"
    );
    message
}

#[test]
fn periode_illisible() {
    let d = copie_des_entrees();
    alterer(
        d.path(),
        DE,
        "2020T4;commune;92002",
        "2020T13;commune;92002",
    );
    let m = refuse(d.path(), 1);
    assert!(
        m.contains(&format!("{DE}:"))
            && m.contains(":1: période illisible (attendu un trimestre")
            && m.contains("trouvé « 2020T13 »"),
        "{m}"
    );
}

#[test]
fn nombre_illisible_avec_ligne_et_colonne() {
    let d = copie_des_entrees();
    alterer(
        d.path(),
        DE,
        "2020T4;departement;92;Hauts-de-Seine;;127479",
        "2020T4;departement;92;Hauts-de-Seine;;12x479",
    );
    let m = refuse(d.path(), 1);
    let ligne = std::fs::read_to_string(d.path().join(DE))
        .unwrap()
        .lines()
        .position(|l| l.contains("12x479"))
        .unwrap()
        + 1;
    assert!(
        m.contains(&format!(
            "{DE}:{ligne}:6: nombre illisible dans la colonne de_abc"
        )),
        "{m}"
    );
    assert!(m.contains("trouvé « 12x479 »"), "{m}");
}

#[test]
fn colonne_obligatoire_absente() {
    let d = copie_des_entrees();
    alterer(
        d.path(),
        "referentiel_qpv_2015.csv",
        "code_qpv;",
        "identifiant;",
    );
    let m = refuse(d.path(), 1);
    assert!(
        m.contains("referentiel_qpv_2015.csv:1: colonne obligatoire code_qpv absente"),
        "{m}"
    );
}

#[test]
fn qpv_absent_du_referentiel() {
    let d = copie_des_entrees();
    alterer(d.path(), DE, "2020T4;qpv;QP092016", "2020T4;qpv;QP092099");
    let m = refuse(d.path(), 1);
    assert!(
        m.contains("QPV absent du référentiel des QPV") && m.contains("trouvé « QP092099 »"),
        "{m}"
    );
}

#[test]
fn reglage_obligatoire_absent() {
    let d = copie_des_entrees();
    alterer(d.path(), "conseil.toml", "departement = \"92\"", "");
    let m = refuse(d.path(), 2);
    assert!(
        m.contains("conseil.toml: clé obligatoire « departement » absente de la section [conseil]"),
        "{m}"
    );
}

#[test]
fn reglage_inconnu_avec_sa_ligne() {
    let d = copie_des_entrees();
    alterer(d.path(), "conseil.toml", "seuil = 5", "seuill = 5");
    let m = refuse(d.path(), 2);
    let ligne = std::fs::read_to_string(d.path().join("conseil.toml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("seuill"))
        .unwrap()
        + 1;
    assert!(
        m.contains(&format!(
            "conseil.toml:{ligne}:1: fichier de réglages invalide : clé inconnue « seuill »"
        )),
        "{m}"
    );
}

#[test]
fn export_vide() {
    let d = copie_des_entrees();
    std::fs::write(d.path().join(DE), "").unwrap();
    let m = refuse(d.path(), 1);
    assert!(m.contains(&format!("{DE}: fichier vide")), "{m}");
}

#[test]
fn validate_n_ecrit_rien() {
    let d = copie_des_entrees();
    let config = d.path().join("conseil.toml");
    let sortie = qpv_annexe(&["validate", "--config", config.to_str().unwrap()]);
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    assert!(
        stderr(&sortie).contains("Entrées valides : 9 fichiers"),
        "{}",
        stderr(&sortie)
    );
    assert!(!d.path().join("reports").exists());
}

#[test]
fn periode_du_conseil_absente_des_exports() {
    let d = copie_des_entrees();
    let sortie = commande(d.path(), "run", &["--periode", "2021T1"]);
    let m = stderr(&sortie);
    assert_eq!(sortie.status.code(), Some(1), "{m}");
    assert!(!d.path().join("reports/2021T1").exists());
    assert!(
        m.contains("aucune ligne « departement » 92 pour la période 2021T1 du conseil")
            && m.contains("trouvé « périodes 2019T4, 2020T1, 2020T2, 2020T3, 2020T4 »"),
        "{m}"
    );
}

const DISPOSITIFS: &str = "dispositifs_2020-2021.csv";

/// A scheme file's cells are checked like the others: each problem with
/// its file, line and column, all at once.
#[test]
fn chiffres_de_dispositifs_refuses_avec_leur_place() {
    let d = copie_des_entrees();
    alterer(
        d.path(),
        DISPOSITIFS,
        "SESAME;jeunes entrés;;2020;departement;92;70;44;;2015-01-01",
        "SESAME;jeunes entrés;;2020;departement;92;70;74;;2015-02-30",
    );
    alterer(
        d.path(),
        DISPOSITIFS,
        ";2021T1;departement;92;78;",
        ";2021-T5;departement;92;78;",
    );
    alterer(
        d.path(),
        DISPOSITIFS,
        "DILCRAH;actions financées;;2021;departement;92;8;;;;;actions",
        "DILCRAH;actions financées;;2021;quartier;92;8;;;;;dossiers",
    );
    alterer(
        d.path(),
        DISPOSITIFS,
        ";2020T4;commune;92050;160;",
        ";2020T4;qpv;QP092999;160;",
    );
    let m = refuse(d.path(), 1);
    let ligne = |motif: &str| {
        std::fs::read_to_string(d.path().join(DISPOSITIFS))
            .unwrap()
            .lines()
            .position(|l| l.contains(motif))
            .unwrap()
            + 1
    };
    let (sesame, vdr, dilcrah, qpv) = (
        ligne("SESAME"),
        ligne("2021-T5"),
        ligne("DILCRAH;actions"),
        ligne("QP092999"),
    );
    for attendu in [
        format!("{DISPOSITIFS}:{sesame}:8: part en QPV supérieure au total"),
        format!("{DISPOSITIFS}:{sesame}:10: date illisible (attendu une date AAAA-MM-JJ"),
        format!("{DISPOSITIFS}:{vdr}:4: période illisible (attendu un trimestre (2020T4) ou une année (2020)"),
        format!("{DISPOSITIFS}:{dilcrah}:5: niveau inconnu (attendu departement, commune ou qpv"),
        format!("{DISPOSITIFS}:{dilcrah}:12: unité inconnue"),
        format!("{DISPOSITIFS}:{qpv}:6: QPV absent du référentiel des QPV"),
    ] {
        assert!(m.contains(&attendu), "« {attendu} » absent :\n{m}");
    }
    assert!(m.contains("trouvé « 2015-02-30 »"), "{m}");
}

/// The same count twice is refused: which one holds would be a guess.
#[test]
fn chiffre_de_dispositif_donne_deux_fois() {
    let d = copie_des_entrees();
    let chemin = d.path().join(DISPOSITIFS);
    let mut texte = std::fs::read_to_string(&chemin).unwrap();
    texte.push_str("SESAME;Jeunes entrés;;2020;departement;92;71;44;;;;personnes\n");
    std::fs::write(&chemin, texte).unwrap();
    let m = refuse(d.path(), 1);
    assert!(m.contains("chiffre donné deux fois"), "{m}");
    assert!(m.contains("trouvé « SESAME — jeunes_entres »"), "{m}");
}

/// A calendar's date must be a day or a month.
#[test]
fn date_du_calendrier_illisible() {
    let d = copie_des_entrees();
    alterer(
        d.path(),
        "calendrier_appels_a_projets.csv",
        "session d'attribution;2021-07-09",
        "session d'attribution;début juillet",
    );
    let m = refuse(d.path(), 1);
    assert!(
        m.contains("calendrier_appels_a_projets.csv:3:3: date illisible (attendu une date AAAA-MM-JJ ou JJ/MM/AAAA, ou un mois AAAA-MM ou « octobre 2021 », trouvé « début juillet »)"),
        "{m}"
    );
}

/// A structure's status and commune are checked.
#[test]
fn structure_refusee_avec_sa_place() {
    let d = copie_des_entrees();
    let fichier = "structures_2020-2021.csv";
    alterer(
        d.path(),
        fichier,
        "MSP Sisley;92078;Villeneuve-la-Garenne;;;ouvert",
        "MSP Sisley;9207;Villeneuve-la-Garenne;;;inauguré",
    );
    let m = refuse(d.path(), 1);
    let ligne = std::fs::read_to_string(d.path().join(fichier))
        .unwrap()
        .lines()
        .position(|l| l.contains("MSP Sisley"))
        .unwrap()
        + 1;
    assert!(
        m.contains(&format!("{fichier}:{ligne}:3: code commune illisible")),
        "{m}"
    );
    assert!(
        m.contains(&format!(
            "{fichier}:{ligne}:7: statut inconnu (attendu ouvert, labellisé, en projet ou fermé"
        )),
        "{m}"
    );
}

/// The open-data columns of a register are checked: a SIRET has 14
/// digits, a payment period ends after it starts.
#[test]
fn siret_et_periode_de_versement_refuses_avec_leur_place() {
    let d = copie_des_entrees();
    let registre = "financements_plan_relance.csv";
    alterer(
        d.path(),
        registre,
        "Centre de santé;92050;QP092016;;1 400 000,00;Retenu;2020-09-15;;;;;;;",
        "Centre de santé;92050;QP092016;;1 400 000,00;Retenu;2020-09-15;;;;;;1234;",
    );
    alterer(
        d.path(),
        registre,
        "DSIL-2020-02;2020-10-01/2022-12-31",
        "DSIL-2020-02;2022-12-31/2020-10-01",
    );
    let m = refuse(d.path(), 1);
    assert!(
        m.contains(&format!(
            "{registre}:2:16: SIRET invalide (attendu 14 chiffres (SIREN et NIC), par exemple 21920050500011, trouvé « 1234 »)"
        )),
        "{m}"
    );
    assert!(
        m.contains(&format!(
            "{registre}:3:18: date ou période de versement illisible (attendu AAAA-MM-JJ, ou AAAA-MM-JJ/AAAA-MM-JJ pour une période, trouvé « 2022-12-31/2020-10-01 »)"
        )),
        "{m}"
    );
}

/// The grantor's SIRET of `[donnees_ouvertes]` is checked.
#[test]
fn siret_de_l_attribuant_refuse() {
    let d = copie_des_entrees();
    alterer(
        d.path(),
        "conseil.toml",
        "siret_attribuant = \"17920001800011\"",
        "siret_attribuant = \"1792000180001A\"",
    );
    let m = refuse(d.path(), 2);
    assert!(
        m.contains("[donnees_ouvertes] siret_attribuant invalide")
            && m.contains("attendu 14 chiffres (SIREN et NIC)")
            && m.contains("trouvé « 1792000180001A »"),
        "{m}"
    );
}
