//! The documents opened by the programs their readers use: LibreOffice for
//! the workbooks, poppler and qpdf for the PDFs.
//!
//! These tools come from Debian (`qpdf poppler-utils libreoffice-calc-nogui`,
//! installed by `.ci/run`), and the PDF/UA checker `pdfua` from PyPI
//! (installed by `.ci/run` in a virtual environment of the cache). On a
//! machine without them the tests say so on
//! stderr and pass, so that `cargo test` stays runnable anywhere; with
//! `QPV_ANNEXE_CLIENTS=requis` (set by `.ci/run`) a missing tool fails them.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::commun::{copie_des_entrees, espaces_simples, run};

/// The path of `outil`, or `None` (after saying why) when it is absent and
/// not required.
fn outil(outil: &str, paquet: &str) -> Option<PathBuf> {
    outil_de(outil, &format!("le paquet Debian {paquet}"))
}

/// [`outil`], `paquet` saying where it comes from.
fn outil_de(outil: &str, paquet: &str) -> Option<PathBuf> {
    let trouve = std::env::var_os("PATH").and_then(|chemins| {
        std::env::split_paths(&chemins)
            .map(|d| d.join(outil))
            .find(|p| p.is_file())
    });
    if trouve.is_none() {
        let requis = std::env::var("QPV_ANNEXE_CLIENTS").is_ok_and(|v| v == "requis");
        assert!(!requis, "{outil} est introuvable : installez {paquet}");
        eprintln!("test ignoré : {outil} est introuvable ({paquet})");
    }
    trouve
}

/// The sample's reports, written once per test into a temporary folder.
fn rapports() -> (tempfile::TempDir, PathBuf) {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{sortie:?}");
    let rapport = dossier.path().join("reports").join("2020T4");
    (dossier, rapport)
}

/// Every PDF of a report: the département's and the communes'.
fn pdfs(rapport: &Path) -> Vec<PathBuf> {
    let mut pdfs = vec![rapport.join("annexe-92-2020T4.pdf")];
    let mut communes: Vec<PathBuf> = std::fs::read_dir(rapport.join("communes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    communes.sort();
    assert!(!communes.is_empty());
    pdfs.extend(communes);
    pdfs
}

fn lancer(commande: &mut Command) -> String {
    let sortie = commande.output().expect("lancement de l'outil");
    assert!(
        sortie.status.success(),
        "{commande:?} a échoué : {}{}",
        String::from_utf8_lossy(&sortie.stdout),
        String::from_utf8_lossy(&sortie.stderr)
    );
    String::from_utf8(sortie.stdout).expect("sortie UTF-8")
}

#[test]
fn les_pdf_passent_qpdf_check() {
    let Some(qpdf) = outil("qpdf", "qpdf") else {
        return;
    };
    let (_dossier, rapport) = rapports();
    for pdf in pdfs(&rapport) {
        let sortie = lancer(Command::new(&qpdf).arg("--check").arg(&pdf));
        assert!(
            sortie.contains("No syntax or stream encoding errors found"),
            "{}: {sortie}",
            pdf.display()
        );
    }
}

#[test]
fn toutes_les_polices_des_pdf_sont_incorporees() {
    let Some(pdffonts) = outil("pdffonts", "poppler-utils") else {
        return;
    };
    let (_dossier, rapport) = rapports();
    for pdf in pdfs(&rapport) {
        let sortie = lancer(Command::new(&pdffonts).arg(&pdf));
        let mut lignes = sortie.lines();
        let entete = lignes.next().expect("en-tête de pdffonts");
        // Columns are fixed-width: read "emb" under its header.
        let colonne = entete.find("emb").expect("colonne emb");
        let polices: Vec<&str> = lignes.skip(1).filter(|l| !l.trim().is_empty()).collect();
        assert!(!polices.is_empty(), "{}: aucune police", pdf.display());
        for police in polices {
            assert_eq!(
                police.get(colonne..colonne + 3),
                Some("yes"),
                "{}: police non incorporée : {police}",
                pdf.display()
            );
        }
    }
}

#[test]
fn pdftotext_rend_le_texte_francais_intact() {
    let Some(pdftotext) = outil("pdftotext", "poppler-utils") else {
        return;
    };
    let Some(qpdf) = outil("qpdf", "qpdf") else {
        return;
    };
    let (_dossier, rapport) = rapports();
    let pdf = rapport.join("annexe-92-2020T4.pdf");
    let texte = lancer(
        Command::new(&pdftotext)
            .args(["-layout", "-enc", "UTF-8"])
            .arg(&pdf)
            .arg("-"),
    );
    for attendu in [
        "PRÉFET DES HAUTS-DE-SEINE",
        "Liberté",
        "Égalité",
        "Fraternité",
        "4e trimestre 2020",
        "11,0 % des demandeurs d'emploi alto-séquanais résident en quartier",
        "127 479",
        "2,8 M€ pour 4 dossiers",
        "Catégories ABC",
    ] {
        assert!(
            texte.contains(attendu),
            "« {attendu} » absent de :\n{texte}"
        );
    }
    // poppler writes every kind of space as a plain one; the no-break spaces
    // themselves are checked in the font's ToUnicode map, which is what a
    // reader's copy and search use.
    let decompresse = rapport.join("decompresse.pdf");
    lancer(
        Command::new(&qpdf)
            .args(["--qdf", "--object-streams=disable"])
            .arg(&pdf)
            .arg(&decompresse),
    );
    let brut = String::from_utf8_lossy(&std::fs::read(&decompresse).unwrap()).into_owned();
    for code in ["<00A0>", "<202F>", "<20AC>", "<00E9>", "<00C9>"] {
        assert!(
            brut.contains(code),
            "{code} absent de la table ToUnicode du PDF"
        );
    }
}

/// Every PDF is tagged (PDF/UA-1): poppler says so, and the PDF/UA checker
/// finds nothing, neither error nor warning nor information, on the annex
/// and on every commune's page.
#[test]
fn les_pdf_sont_balises_et_passent_le_controle_pdf_ua() {
    let Some(pdfinfo) = outil("pdfinfo", "poppler-utils") else {
        return;
    };
    let Some(pdfua) = outil_de("pdfua", "le paquet PyPI pdfua (pip install pdfua)") else {
        return;
    };
    let (_dossier, rapport) = rapports();
    for pdf in pdfs(&rapport) {
        let infos = lancer(Command::new(&pdfinfo).arg(&pdf));
        assert!(
            infos
                .lines()
                .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
            "{}: {infos}",
            pdf.display()
        );
        // Exit code 0: no finding at any severity.
        let controle = lancer(Command::new(&pdfua).arg("check").arg(&pdf));
        assert!(
            controle.contains("PASS (no findings)") && !controle.contains("[skip"),
            "{}: {controle}",
            pdf.display()
        );
    }
}

/// The text comes out in reading order: title block, then the sections in
/// the deck's order, each heading before its figures.
#[test]
fn pdftotext_lit_le_texte_dans_l_ordre_logique() {
    let Some(pdftotext) = outil("pdftotext", "poppler-utils") else {
        return;
    };
    let (_dossier, rapport) = rapports();
    let texte = lancer(
        Command::new(&pdftotext)
            .args(["-enc", "UTF-8"])
            .arg(rapport.join("annexe-92-2020T4.pdf"))
            .arg("-"),
    );
    let ordre = [
        "PRÉFET DES HAUTS-DE-SEINE",
        "Conseil territorial de la politique de la Ville",
        "Les QPV du département",
        "21 quartiers accueillant 103 000 habitants",
        "Emploi et insertion professionnelle",
        "127 479",
        "Profil des demandeurs d'emploi",
        "Missions locales",
        "Dispositifs de l'emploi et de la politique de la ville",
        "Structures et labels",
        "Plan de relance",
    ];
    let positions: Vec<usize> = ordre
        .iter()
        .map(|t| texte.find(t).unwrap_or_else(|| panic!("« {t} » absent")))
        .collect();
    assert!(
        positions.windows(2).all(|p| p[0] < p[1]),
        "ordre de lecture : {positions:?}"
    );
}

/// Every sheet of a workbook as its cells' text, numbers rounded to the
/// precision a reader sees.
fn feuilles(chemin: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut classeur: Xlsx<_> = open_workbook(chemin).unwrap();
    let noms = classeur.sheet_names().to_vec();
    noms.into_iter()
        .map(|nom| {
            let plage = classeur.worksheet_range(&nom).unwrap();
            let lignes = plage
                .rows()
                .map(|ligne| {
                    let mut cellules: Vec<String> = ligne
                        .iter()
                        .map(|c| match c {
                            Data::Float(f) => format!("{f:.6}"),
                            Data::Int(i) => format!("{i}.000000"),
                            Data::Empty => String::new(),
                            autre => autre.to_string(),
                        })
                        .collect();
                    while cellules.last().is_some_and(String::is_empty) {
                        cellules.pop();
                    }
                    cellules
                })
                .filter(|l| !l.is_empty())
                .collect();
            (nom, lignes)
        })
        .collect()
}

#[test]
fn libreoffice_ouvre_les_classeurs_et_y_lit_les_memes_valeurs() {
    let Some(soffice) = outil("soffice", "libreoffice-calc-nogui") else {
        return;
    };
    let (dossier, rapport) = rapports();
    let commune = std::fs::read_dir(rapport.join("communes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .expect("un classeur de commune");
    let profil = dossier.path().join("profil-libreoffice");
    let converti = dossier.path().join("converti");
    for classeur in [rapport.join("annexe-92-2020T4.xlsx"), commune] {
        lancer(
            Command::new(&soffice)
                .arg(format!("-env:UserInstallation=file://{}", profil.display()))
                .args(["--headless", "--norestore", "--convert-to", "xlsx"])
                .arg("--outdir")
                .arg(&converti)
                .arg(&classeur),
        );
        let relu = converti.join(classeur.file_name().unwrap());
        assert!(relu.is_file(), "LibreOffice n'a pas converti {classeur:?}");
        let avant = feuilles(&classeur);
        let apres = feuilles(&relu);
        let noms = |f: &[(String, Vec<Vec<String>>)]| -> Vec<String> {
            f.iter().map(|(n, _)| n.clone()).collect()
        };
        assert_eq!(noms(&avant), noms(&apres), "{}", classeur.display());
        for ((nom, a), (_, b)) in avant.iter().zip(&apres) {
            assert!(!a.is_empty(), "feuille {nom} vide");
            assert_eq!(a, b, "{}, feuille {nom}", classeur.display());
        }
    }
}

/// No word of a table is cut across lines (« Localisati/on »,
/// « Anné/e », « pluriprofession/nelles »), and no date breaks between
/// its day and its month: a line's last word and the next line's first
/// never make, together, a word of the report's workbooks that neither
/// is alone.
#[test]
fn aucun_mot_ni_aucune_date_n_est_coupe() {
    let Some(pdftotext) = outil("pdftotext", "poppler-utils") else {
        return;
    };
    let (_dossier, rapport) = rapports();
    let mut mots = std::collections::HashSet::new();
    let mut classeurs = vec![rapport.join("annexe-92-2020T4.xlsx")];
    classeurs.extend(
        pdfs(&rapport)
            .iter()
            .skip(1)
            .map(|p| p.with_extension("xlsx")),
    );
    for classeur in &classeurs {
        for (_, lignes) in feuilles(classeur) {
            for cellule in lignes.iter().flatten() {
                for mot in cellule.split(|c: char| !c.is_alphanumeric()) {
                    if mot.chars().count() >= 3 {
                        mots.insert(mot.to_lowercase());
                    }
                }
            }
        }
    }
    let mois = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    for pdf in pdfs(&rapport) {
        let texte = lancer(
            Command::new(&pdftotext)
                .args(["-enc", "UTF-8"])
                .arg(&pdf)
                .arg("-"),
        );
        let texte = espaces_simples(&texte);
        let lignes: Vec<&str> = texte
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        for paire in lignes.windows(2) {
            let fin = paire[0].rsplit(' ').next().unwrap_or("");
            let debut = paire[1].split(' ').next().unwrap_or("");
            let lettres = |m: &str| {
                m.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            };
            let (a, b) = (lettres(fin), lettres(debut));
            let entier = format!("{a}{b}");
            let mots_de_lettres = |m: &str| m.chars().all(char::is_alphabetic);
            let coupe = a.chars().count() >= 2
                && !b.is_empty()
                && mots_de_lettres(&a)
                && mots_de_lettres(&b)
                && mots.contains(&entier)
                && !mots.contains(&a)
                && !mots.contains(&b);
            assert!(
                !coupe,
                "{}: mot coupé « {fin} » / « {debut} »",
                pdf.display()
            );
            // A day and its month stay on one line.
            let jour = fin
                .trim_end_matches("er")
                .parse::<u32>()
                .is_ok_and(|j| (1..=31).contains(&j));
            assert!(
                !(jour && mois.contains(&debut)),
                "{}: date coupée « {fin} » / « {debut} »",
                pdf.display()
            );
        }
    }
}
