//! A name that a spreadsheet would run as a formula (`=HYPERLINK(…)`) is
//! said at ingest and written as text in `indicateurs.csv`.

use crate::commun::*;

#[test]
fn un_nom_qui_ressemble_a_une_formule_est_neutralise_dans_le_csv() {
    let d = copie_des_entrees();
    let chemin = d.path().join("referentiel_qpv_2015.csv");
    let texte = std::fs::read_to_string(&chemin).unwrap();
    let texte = texte.replacen(
        "QP092001;Hauts-d'Asnières;",
        "QP092001;\"=HYPERLINK(\"\"http://exemple.invalid\"\",\"\"clic\"\")\";",
        1,
    );
    std::fs::write(&chemin, texte).unwrap();
    let sortie = run(d.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let message = stderr(&sortie);
    assert!(
        message
            .contains("referentiel_qpv_2015.csv:2:2: texte qui ressemble à une formule de tableur"),
        "{message}"
    );
    let mut lecteur =
        csv::Reader::from_path(d.path().join("reports/2020T4/indicateurs.csv")).unwrap();
    let libelles: Vec<String> = lecteur
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[2] == "QP092001")
        .map(|r| r[3].to_string())
        .collect();
    assert!(!libelles.is_empty());
    for l in &libelles {
        assert_eq!(l, "'=HYPERLINK(\"http://exemple.invalid\",\"clic\")");
    }
    // No cell of the file begins with a formula character.
    let mut lecteur =
        csv::Reader::from_path(d.path().join("reports/2020T4/indicateurs.csv")).unwrap();
    for r in lecteur.records().map(|r| r.unwrap()) {
        for (j, c) in r.iter().enumerate() {
            // `valeur` (column 7) holds numbers, negative evolutions too.
            if j != 6 {
                assert!(!c.starts_with(['=', '+', '-', '@']), "{r:?}");
            }
        }
    }
}
