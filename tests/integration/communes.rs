//! One workbook and one PDF per commune with a QPV, holding nothing of the
//! other communes.

use std::collections::BTreeMap;

use calamine::{open_workbook, Reader, Xlsx};

use crate::commun::*;

/// (code QPV, nom QPV) of each commune, from the sample referential
/// (multi-commune cells split).
fn qpv_par_commune() -> BTreeMap<String, Vec<(String, String)>> {
    let texte = std::fs::read_to_string(racine().join("inputs/referentiel_qpv_2015.csv")).unwrap();
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(texte.as_bytes());
    let mut par_commune: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for r in lecteur.records() {
        let r = r.unwrap();
        for commune in r[2].split([';', ',']) {
            par_commune
                .entry(commune.trim().to_string())
                .or_default()
                .push((r[0].to_string(), r[1].to_string()));
        }
    }
    par_commune
}

fn textes_du_classeur(chemin: &std::path::Path) -> String {
    let mut classeur: Xlsx<_> = open_workbook(chemin).unwrap();
    let mut tout = Vec::new();
    for nom in classeur.sheet_names() {
        let feuille = classeur.worksheet_range(&nom).unwrap();
        tout.extend(feuille.rows().flat_map(|r| r.iter().map(|c| c.to_string())));
    }
    tout.join("\n")
}

#[test]
fn chaque_commune_a_ses_documents_et_rien_des_autres() {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let communes = dossier.path().join("reports/2020T4/communes");
    let par_commune = qpv_par_commune();
    let attendus = [
        "92002-antony",
        "92004-asnieres-sur-seine",
        "92007-bagneux",
        "92019-chatenay-malabry",
        "92024-clichy",
        "92025-colombes",
        "92036-gennevilliers",
        "92050-nanterre",
        "92078-villeneuve-la-garenne",
    ];
    let mut fichiers: Vec<String> = std::fs::read_dir(&communes)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    fichiers.sort();
    let mut voulus: Vec<String> = attendus
        .iter()
        .flat_map(|a| [format!("{a}.pdf"), format!("{a}.xlsx")])
        .collect();
    voulus.sort();
    assert_eq!(fichiers, voulus);

    for base in attendus {
        let code = &base[..5];
        let siens = &par_commune[code];
        let textes = textes_du_classeur(&communes.join(format!("{base}.xlsx")));
        let pdf = pdf_extract::extract_text(communes.join(format!("{base}.pdf"))).unwrap();
        let pdf = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
        for (q, nom) in siens {
            assert!(
                textes.contains(q.as_str()) && textes.contains(nom.as_str()),
                "{base} : {q} {nom} absent"
            );
        }
        for (autre, quartiers) in &par_commune {
            if autre == code {
                continue;
            }
            for (q, nom) in quartiers.iter().filter(|x| !siens.contains(x)) {
                assert!(
                    !textes.contains(q.as_str()) && !textes.contains(nom.as_str()),
                    "{base}.xlsx cite {q} {nom} de {autre}"
                );
                assert!(
                    !pdf.contains(q.as_str()) && !pdf.contains(nom.as_str()),
                    "{base}.pdf cite {q} {nom} de {autre}"
                );
            }
        }
    }

    // An intercommunal QPV given by commune shows the commune's part.
    let textes = textes_du_classeur(&communes.join("92004-asnieres-sur-seine.xlsx"));
    assert!(
        textes.contains("Intercommunal, partie communale"),
        "{textes}"
    );
    // Asnières's QPV: 880 + 451 (its part of Les Agnettes) + 148 (of Les Courtilles).
    let lignes =
        std::fs::read_to_string(dossier.path().join("reports/2020T4/indicateurs.csv")).unwrap();
    assert!(lignes.lines().any(
        |l| l.starts_with("2020T4,commune,92004,Asnières-sur-Seine,de_abc_qpv,effectif,1479,")
    ));
}

/// Most PDFs embed DejaVu as cut once for the run; a document naming a
/// place with a letter outside that cut (here Ł, ó) embeds its own cut of
/// the face that draws it, and reads back whole.
#[test]
fn une_lettre_hors_du_jeu_courant_reste_lisible() {
    let dossier = copie_des_entrees();
    let referentiel = dossier.path().join("referentiel_qpv_2015.csv");
    let texte = std::fs::read_to_string(&referentiel)
        .unwrap()
        .replace("Hauts-d'Asnières", "Hauts-d'Asnières Łódź");
    std::fs::write(&referentiel, texte).unwrap();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = dossier.path().join("reports/2020T4");
    let communes = rapport.join("communes");
    let mut pdfs = vec![rapport.join("annexe-92-2020T4.pdf")];
    pdfs.extend(
        std::fs::read_dir(&communes)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pdf")),
    );
    // The faces of the run-wide cut that a PDF embeds: each is named
    // `QPVANX+<face>` followed by a delimiter.
    let coupes_partagees = |pdf: &std::path::Path| {
        let octets = std::fs::read(pdf).unwrap();
        ["/QPVANX+DejaVuSans", "/QPVANX+DejaVuSans-Bold"]
            .iter()
            .filter(|nom| {
                octets.windows(nom.len() + 1).any(|w| {
                    w.starts_with(nom.as_bytes())
                        && matches!(w[nom.len()], b' ' | b'/' | b'\n' | b'>' | b']')
                })
            })
            .count()
    };
    let (avec, sans): (Vec<_>, Vec<_>) = pdfs.iter().partition(|pdf| {
        pdf_extract::extract_text(pdf)
            .unwrap()
            .contains("Hauts-d'Asnières Łódź")
    });
    assert!(
        avec.iter()
            .any(|p| p.ends_with("92004-asnieres-sur-seine.pdf")),
        "le nom n'est relu dans aucun PDF : {avec:?}"
    );
    for pdf in avec {
        assert!(coupes_partagees(pdf) < 2, "{}", pdf.display());
    }
    assert!(!sans.is_empty());
    for pdf in sans {
        assert_eq!(coupes_partagees(pdf), 2, "{}", pdf.display());
    }
}
