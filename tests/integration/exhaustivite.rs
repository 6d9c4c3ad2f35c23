//! `indicateurs.csv` is the published universe (issue #15): every number
//! a document of the report shows is one of its values, so that the audit,
//! and any reader, works from all of them.

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::commun::*;

/// Every value of `indicateurs.csv`.
fn valeurs_publiees(rapport: &std::path::Path) -> Vec<f64> {
    let mut lecteur = csv::Reader::from_path(rapport.join("indicateurs.csv")).unwrap();
    let colonne = lecteur
        .headers()
        .unwrap()
        .iter()
        .position(|c| c == "valeur")
        .unwrap();
    let mut valeurs: Vec<f64> = lecteur
        .records()
        .filter_map(|r| r.unwrap().get(colonne).and_then(|v| v.parse().ok()))
        .collect();
    valeurs.sort_by(f64::total_cmp);
    valeurs
}

fn publie(valeurs: &[f64], x: f64) -> bool {
    let i = valeurs.partition_point(|v| *v < x - 1e-9);
    valeurs.get(i).is_some_and(|v| (v - x).abs() <= 1e-9)
}

/// The numbers of every workbook of `rapport` absent from its
/// `indicateurs.csv`: (file, sheet, row, column, number).
fn absents_des_classeurs(rapport: &std::path::Path) -> Vec<String> {
    let valeurs = valeurs_publiees(rapport);
    let mut absents = Vec::new();
    for chemin in fichiers(rapport, "xlsx") {
        let mut classeur: Xlsx<_> = open_workbook(&chemin).unwrap();
        for feuille in classeur.sheet_names() {
            let plage = classeur.worksheet_range(&feuille).unwrap();
            for (l, c, cellule) in plage.cells() {
                let x = match cellule {
                    Data::Float(x) => *x,
                    Data::Int(x) => *x as f64,
                    _ => continue,
                };
                if !publie(&valeurs, x) {
                    let nom = chemin.file_name().unwrap().to_string_lossy();
                    absents.push(format!("{nom} « {feuille} » L{}C{} : {x}", l + 1, c + 1));
                }
            }
        }
    }
    absents
}

/// The files of `dossier` and its sub-folders ending in `extension`,
/// sorted.
fn fichiers(dossier: &std::path::Path, extension: &str) -> Vec<std::path::PathBuf> {
    let mut trouves = Vec::new();
    for e in std::fs::read_dir(dossier).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            trouves.extend(fichiers(&p, extension));
        } else if p.extension().is_some_and(|e| e == extension) {
            trouves.push(p);
        }
    }
    trouves.sort();
    trouves
}

/// `pdftotext -layout` of `pdf` (poppler-utils), `None` without it.
fn texte_pdf(pdf: &std::path::Path) -> Option<String> {
    let sortie = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output();
    match sortie {
        Ok(s) if s.status.success() => Some(String::from_utf8_lossy(&s.stdout).into_owned()),
        _ => {
            let requis = std::env::var("QPV_ANNEXE_CLIENTS").is_ok_and(|v| v == "requis");
            assert!(!requis, "pdftotext introuvable : installez poppler-utils");
            None
        }
    }
}

/// What a page says besides its figures: dates, page numbers, quarters,
/// QPV codes, ordinals, years; and the chart's axis (an index base 100,
/// computed from the published series).
fn sans_mentions(texte: &str) -> String {
    let axe = regex::Regex::new(r"(?s)Demande d'emploi trimestre par trimestre.*?Indice base 100")
        .unwrap();
    let mentions = regex::Regex::new(
        r"\d{1,2}(er)?\s+(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\s+\d{4}|page \d+ / \d+|\d{4}T\d|Q[PN]\w+|\b\d+(re|e|er)\b|\b(19|20)\d{2}\b|moins de\s+26|26 ans|le 92\b|\(92\)",
    )
    .unwrap();
    mentions
        .replace_all(&axe.replace_all(texte, ""), " ")
        .into_owned()
}

/// Whether the figure `texte` of a page (a count, a percentage, an
/// amount in €, k€ or M€, as written in French) is one of `valeurs`
/// written so.
fn figure_publiee(valeurs: &[f64], texte: &str) -> bool {
    let t = texte
        .replace([' ', '\u{202f}', '\u{a0}'], "")
        .replace('−', "-");
    let (nombre, echelle) = if let Some(n) = t.strip_suffix('%') {
        (n, 0.01)
    } else if let Some(n) = t.strip_suffix("M€") {
        (n, 1e6)
    } else if let Some(n) = t.strip_suffix("k€") {
        (n, 1e3)
    } else {
        (t.trim_end_matches('€'), 1.0)
    };
    let Ok(x) = nombre.replace(',', ".").parse::<f64>() else {
        return false;
    };
    let decimales = nombre.split(',').nth(1).map_or(0, str::len) as i32;
    let pas = echelle * 10f64.powi(-decimales);
    valeurs
        .iter()
        .any(|v| ((v / pas).round() * pas - x * echelle).abs() <= pas * 1e-6)
}

/// The figures of every PDF of `rapport` that are not values of its
/// `indicateurs.csv`: (file, figure).
fn absents_des_pdf(rapport: &std::path::Path) -> Option<Vec<String>> {
    let valeurs = valeurs_publiees(rapport);
    let figure = regex::Regex::new(
        r"[+\-−]?\d{1,3}(?:[ \u{202f}\u{a0}]\d{3})*(?:,\d+)?(?:[ \u{202f}\u{a0}]?(?:%|M€|k€|€|ha\b))?",
    )
    .unwrap();
    let mut absents = Vec::new();
    for pdf in fichiers(rapport, "pdf") {
        let texte = sans_mentions(&texte_pdf(&pdf)?);
        for m in figure.find_iter(&texte) {
            let avant = texte[..m.start()].chars().next_back();
            // A digit within a word or a file name is no figure.
            let colle = avant.is_some_and(|c| c.is_alphanumeric() || "-,_".contains(c));
            if colle || m.as_str().ends_with("ha") || figure_publiee(&valeurs, m.as_str()) {
                continue;
            }
            let nom = pdf.file_name().unwrap().to_string_lossy();
            absents.push(format!("{nom} : « {} »", m.as_str()));
        }
    }
    Some(absents)
}

/// The sample's report, and the same with small counts masked (3 young
/// people in Cité des Musiciens, the producer's QPV total left out).
fn rapports() -> Vec<tempfile::TempDir> {
    let (exemple, petits) = (copie_des_entrees(), copie_des_entrees());
    sans_ensemble_qpv(petits.path(), |l, c| {
        if l.starts_with("2020T4;qpv;QP092020;") {
            c[6] = "3";
        }
    });
    for d in [&exemple, &petits] {
        let sortie = run(d.path());
        assert!(sortie.status.success(), "{}", stderr(&sortie));
    }
    vec![exemple, petits]
}

#[test]
fn chaque_nombre_des_classeurs_est_dans_indicateurs_csv() {
    for d in rapports() {
        let absents = absents_des_classeurs(&d.path().join("reports/2020T4"));
        assert!(
            absents.is_empty(),
            "{} absents :\n{}",
            absents.len(),
            absents.join("\n")
        );
    }
}

/// The same for every figure of every PDF (the département's, each
/// commune's), as the page writes it (rounded, in %, k€, M€).
#[test]
fn chaque_nombre_des_pdf_est_dans_indicateurs_csv() {
    for d in rapports() {
        let Some(absents) = absents_des_pdf(&d.path().join("reports/2020T4")) else {
            return;
        };
        assert!(
            absents.is_empty(),
            "{} absents :\n{}",
            absents.len(),
            absents.join("\n")
        );
    }
}
