//! Multi-département runs (`--departements`) on synthetic national inputs
//! written by the benchmark's generator (`examples/national`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../../examples/national/generateur.rs"]
#[allow(dead_code)]
mod generateur;

use crate::commun::stderr;

/// A temporary folder with three départements' inputs in `entrees/`, and
/// where to write the reports (`reports/`).
fn preparer() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dossier = tempfile::tempdir().unwrap();
    let (e, r) = (
        dossier.path().join("entrees"),
        dossier.path().join("reports"),
    );
    entrees(&e);
    (dossier, e, r)
}

/// Three départements (Ain, Aisne, Allier), 30 QPV.
fn entrees(dossier: &Path) {
    let taille = generateur::Taille {
        departements: 3,
        qpv: 30,
        ..Default::default()
    };
    generateur::generer(dossier, &taille).unwrap();
}

fn lancer(entrees: &Path, rapports: &Path, departements: &str, fils: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qpv-annexe"))
        .args(["run", "-q", "--departements", departements, "--config"])
        .arg(entrees.join("conseil.toml"))
        .arg("--reports")
        .arg(rapports)
        .env("QPV_ANNEXE_FILS", fils)
        .output()
        .unwrap()
}

/// Every file under `dossier`, by relative path, with its bytes.
fn contenu(dossier: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut fichiers = BTreeMap::new();
    let mut pile = vec![dossier.to_path_buf()];
    while let Some(d) = pile.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                pile.push(p);
            } else if p.file_name().is_some_and(|n| n != ".verrou") {
                // (The lock of the reports folder names its run: no output.)
                let nom = p.strip_prefix(dossier).unwrap().display().to_string();
                fichiers.insert(nom, std::fs::read(&p).unwrap());
            }
        }
    }
    fichiers
}

/// `niveau;code` → `de_abc` of the 2020T4 rows of the generated export.
fn de_abc_en_entree(entrees: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(entrees.join("demandeurs_emploi_national.csv"))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("2020T4;"))
        .map(|l| {
            let c: Vec<&str> = l.split(';').collect();
            (format!("{};{}", c[1], c[2]), c[5].to_string())
        })
        .collect()
}

#[test]
fn tous_les_departements_en_une_execution() {
    let (_dossier, e, r) = preparer();
    let sortie = lancer(&e, &r, "all", "2");
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = r.join("2020T4");
    let fichiers = contenu(&rapport);
    for dep in ["01", "02", "03"] {
        for ext in ["xlsx", "pdf"] {
            let nom = format!("annexe-{dep}-2020T4.{ext}");
            assert!(
                fichiers.contains_key(&nom),
                "{nom} absent : {:?}",
                fichiers.keys()
            );
        }
    }
    assert!(!fichiers.contains_key("annexe-04-2020T4.pdf"));
    // One workbook and one page per commune with a QPV, of every département.
    let communes: Vec<&String> = fichiers
        .keys()
        .filter(|k| k.starts_with("communes/") && k.ends_with(".xlsx"))
        .collect();
    for dep in ["01", "02", "03"] {
        assert!(
            communes
                .iter()
                .any(|c| c.starts_with(&format!("communes/{dep}"))),
            "aucune commune du {dep} : {communes:?}"
        );
    }
    // One indicateurs.csv for all, with every département's own count.
    let attendu = de_abc_en_entree(&e);
    let csv = String::from_utf8(fichiers["indicateurs.csv"].clone()).unwrap();
    for dep in ["01", "02", "03"] {
        let ligne = format!("2020T4,departement,{dep},");
        let trouvee = csv
            .lines()
            .find(|l| l.starts_with(&ligne) && l.contains(",de_abc,effectif,"))
            .unwrap_or_else(|| panic!("{ligne}…de_abc,effectif absent"));
        let valeur = trouvee.split(',').nth(6).unwrap();
        assert_eq!(valeur, attendu[&format!("departement;{dep}")], "{trouvee}");
    }
    // Names and title blocks from the COG, not from conseil.toml (which
    // names the Ain only).
    let texte = pdf_extract::extract_text(rapport.join("annexe-02-2020T4.pdf")).unwrap();
    assert!(texte.contains("PRÉFET DE L'AISNE"), "{texte}");
    // One manifest listing every file.
    let manifeste = String::from_utf8(fichiers["manifest.json"].clone()).unwrap();
    for nom in fichiers.keys().filter(|k| *k != "manifest.json") {
        assert!(
            manifeste.contains(nom.as_str()),
            "{nom} absent du manifeste"
        );
    }
}

/// The progress bar counts documents: as many as `run` announces (`-v`)
/// are written, annexes and communes.
#[test]
fn la_barre_compte_les_documents_ecrits() {
    let (_dossier, e, r) = preparer();
    let sortie = Command::new(env!("CARGO_BIN_EXE_qpv-annexe"))
        .args(["run", "-v", "--departements", "01,03", "--config"])
        .arg(e.join("conseil.toml"))
        .arg("--reports")
        .arg(&r)
        .output()
        .unwrap();
    let journal = stderr(&sortie);
    assert!(sortie.status.success(), "{journal}");
    let annonces: u64 = journal
        .lines()
        .find_map(|l| l.trim().strip_prefix("documents à écrire : "))
        .unwrap_or_else(|| panic!("nombre de documents non annoncé :\n{journal}"))
        .parse()
        .unwrap();
    let ecrits = contenu(&r.join("2020T4"))
        .keys()
        .filter(|k| k.ends_with(".xlsx") || k.ends_with(".pdf"))
        .count() as u64;
    assert_eq!(annonces, ecrits);
    assert!(ecrits > 4, "{ecrits}");
}

#[test]
fn meme_resultat_a_l_octet_quel_que_soit_le_nombre_de_fils() {
    let (dossier, e, _) = preparer();
    let (un, quatre) = (dossier.path().join("un"), dossier.path().join("quatre"));
    for (r, fils) in [(&un, "1"), (&quatre, "4")] {
        let sortie = lancer(&e, r, "all", fils);
        assert!(sortie.status.success(), "{}", stderr(&sortie));
    }
    let (a, b) = (contenu(&un), contenu(&quatre));
    assert!(a.len() > 20, "{}", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (nom, octets) in &a {
        assert!(octets == &b[nom], "{nom} diffère entre 1 et 4 fils");
    }
}

/// The figures of all départements are computed in the same queries: a
/// département must get the same documents, byte for byte, alone or in a
/// national run, even with a QPV on two départements (given whole and by
/// commune).
#[test]
fn un_departement_seul_ou_dans_l_execution_nationale_donne_les_memes_documents() {
    let (dossier, e, _) = preparer();
    // The first QPV of the Ain also lies on a commune of the Aisne.
    let chemin = e.join("referentiel_qpv_national.csv");
    let mut referentiel = std::fs::read_to_string(&chemin).unwrap();
    referentiel.push_str(
        "QP001001;Quartier 1 (Ain);02001;Commune 1 de Aisne;201000000;CA Pays 1 (Aisne);100\n",
    );
    std::fs::write(&chemin, referentiel).unwrap();
    // With its part in each commune, every quarter: 10 job seekers in the
    // Aisne, the rest in the Ain.
    let chemin = e.join("demandeurs_emploi_national.csv");
    let mut export = std::fs::read_to_string(&chemin).unwrap();
    let entiers: Vec<String> = export
        .lines()
        .filter(|l| l.contains(";qpv;QP001001;"))
        .map(String::from)
        .collect();
    assert_eq!(entiers.len(), 5);
    for l in entiers {
        let c: Vec<&str> = l.split(';').collect();
        let de_abc: u32 = c[5].parse().unwrap();
        let mut ain: Vec<String> = c.iter().map(|s| s.to_string()).collect();
        ain[4] = "01001".into();
        ain[5] = (de_abc - 10).to_string();
        let mut aisne = ain.clone();
        aisne[4] = "02001".into();
        aisne[5] = "10".into();
        for v in &mut aisne[6..] {
            *v = "0".into();
        }
        export.push_str(&format!("{}\n{}\n", ain.join(";"), aisne.join(";")));
    }
    std::fs::write(&chemin, export).unwrap();
    let tous = dossier.path().join("tous");
    let sortie = lancer(&e, &tous, "all", "2");
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let national = contenu(&tous.join("2020T4"));
    let csv_national = String::from_utf8(national["indicateurs.csv"].clone()).unwrap();
    for dep in ["01", "02"] {
        let seul = dossier.path().join(dep);
        let sortie = lancer(&e, &seul, dep, "1");
        assert!(sortie.status.success(), "{}", stderr(&sortie));
        let fichiers = contenu(&seul.join("2020T4"));
        let documents: Vec<&String> = fichiers
            .keys()
            .filter(|k| k.ends_with(".xlsx") || k.ends_with(".pdf"))
            .collect();
        assert!(
            documents.contains(&&format!("annexe-{dep}-2020T4.pdf"))
                && documents
                    .iter()
                    .any(|k| k.starts_with(&format!("communes/{dep}"))),
            "{documents:?}"
        );
        for nom in documents {
            assert!(
                fichiers[nom] == national[nom],
                "{nom} diffère entre l'exécution de {dep} seul et l'exécution nationale"
            );
        }
        // Its rows of indicateurs.csv, in the same order, in the national one.
        let csv = String::from_utf8(fichiers["indicateurs.csv"].clone()).unwrap();
        let (_, lignes) = csv.split_once('\n').unwrap();
        assert!(lignes.lines().count() > 100);
        assert!(
            csv_national.contains(lignes),
            "indicateurs.csv de {dep} seul absent de l'exécution nationale"
        );
        // The QPV on both départements is in both annexes.
        assert!(csv.contains(",qpv,QP001001,"), "{dep} : QP001001 absent");
    }
}

#[test]
fn une_liste_de_departements() {
    let (_dossier, e, r) = preparer();
    let sortie = lancer(&e, &r, "3,1", "2");
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let fichiers = contenu(&r.join("2020T4"));
    let annexes: Vec<&String> = fichiers
        .keys()
        .filter(|k| k.starts_with("annexe-") && k.ends_with(".pdf"))
        .collect();
    assert_eq!(annexes, ["annexe-01-2020T4.pdf", "annexe-03-2020T4.pdf"]);
    assert!(!fichiers.keys().any(|k| k.starts_with("communes/02")));

    let inconnu = lancer(&e, &r, "01,99", "2");
    assert_eq!(inconnu.status.code(), Some(2));
    assert!(
        stderr(&inconnu).contains("département inconnu « 99 » dans --departements"),
        "{}",
        stderr(&inconnu)
    );
}

#[test]
fn un_departement_en_erreur_fait_echouer_toute_l_execution() {
    let (_dossier, e, r) = preparer();
    // A QPV of the Aisne that the referential does not know, and an Allier
    // with no département row for the period.
    let chemin = e.join("demandeurs_emploi_national.csv");
    let export = std::fs::read_to_string(&chemin).unwrap();
    let mut export: String = export
        .lines()
        .filter(|l| !l.starts_with("2020T4;departement;03;"))
        .map(|l| format!("{l}\n"))
        .collect();
    export.push_str("2020T4;qpv;QP002999;Quartier inconnu;;40;4;9;20;20;8\n");
    std::fs::write(&chemin, export).unwrap();
    let sortie = lancer(&e, &r, "all", "2");
    assert_eq!(sortie.status.code(), Some(1), "{}", stderr(&sortie));
    let message = stderr(&sortie);
    assert!(message.contains("QP002999"), "{message}");
    assert_eq!(
        message.matches("QP002999").count(),
        1,
        "problème répété : {message}"
    );
    assert!(!r.join("2020T4").exists(), "rapport publié malgré l'erreur");

    // Every problem is listed: the unknown QPV and the missing Allier.
    let sortie = lancer(&e, &r, "01,03", "2");
    assert_eq!(sortie.status.code(), Some(1));
    let message = stderr(&sortie);
    assert!(
        message.contains("aucune ligne « departement » 03"),
        "{message}"
    );
    assert!(message.contains("QP002999"), "{message}");
    assert!(!r.join("2020T4").exists());
}

/// The aggregated export of a detail file, counted here row by row (an
/// oracle independent of the program's polars query).
fn agreger_le_detail(detail: &Path, sortie: &Path) {
    type Comptes = BTreeMap<(String, String, String, String), [u64; 6]>;
    let mut comptes: Comptes = BTreeMap::new();
    let mut communes_du_qpv: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let texte = std::fs::read_to_string(detail).unwrap();
    for ligne in texte.lines().skip(1) {
        let c: Vec<&str> = ligne.split(';').collect();
        if !["A", "B", "C"].contains(&c[7]) {
            continue;
        }
        let n = |i: usize| c[i].parse::<i64>().unwrap();
        let publics = [
            1,
            u64::from(n(3) < 26),
            u64::from(n(3) >= 50),
            u64::from(n(4) >= 12),
            u64::from(n(5) <= 3),
            u64::from(n(6) == 0),
        ];
        let (periode, commune, qpv) = (c[0].to_string(), c[1].to_string(), c[2].to_string());
        let dep = commune[..if commune.starts_with("97") { 3 } else { 2 }].to_string();
        let mut cles = vec![
            ("commune", commune.clone(), String::new()),
            ("departement", dep, String::new()),
        ];
        if !qpv.is_empty() {
            cles.push(("qpv", qpv.clone(), String::new()));
            cles.push(("qpv", qpv.clone(), commune.clone()));
            let communes = communes_du_qpv.entry((periode.clone(), qpv)).or_default();
            if !communes.contains(&commune) {
                communes.push(commune);
            }
        }
        for (niveau, code, code_commune) in cles {
            let compte = comptes
                .entry((periode.clone(), niveau.to_string(), code, code_commune))
                .or_insert([0; 6]);
            for (a, b) in compte.iter_mut().zip(publics) {
                *a += b;
            }
        }
    }
    let mut export = String::from(
        "periode;niveau;code;code_commune;de_abc;de_abc_moins_26;de_abc_50_plus;de_abc_longue_duree;de_abc_infra_bac;de_abc_sans_diplome\n",
    );
    for ((periode, niveau, code, code_commune), c) in &comptes {
        // A QPV's part in a commune only when it lies on several.
        if !code_commune.is_empty() && communes_du_qpv[&(periode.clone(), code.clone())].len() < 2 {
            continue;
        }
        export.push_str(&format!(
            "{periode};{niveau};{code};{code_commune};{};{};{};{};{};{}\n",
            c[0], c[1], c[2], c[3], c[4], c[5]
        ));
    }
    std::fs::write(sortie, export).unwrap();
}

#[test]
fn le_detail_donne_les_memes_chiffres_que_l_export_agrege() {
    let dossier = tempfile::tempdir().unwrap();
    let detail = dossier.path().join("detail");
    let taille = generateur::Taille {
        departements: 3,
        qpv: 30,
        detail: 40_000,
        agrege: false,
        ..Default::default()
    };
    generateur::generer(&detail, &taille).unwrap();
    // The same population, aggregated: same folder but for the job seekers.
    let agrege = dossier.path().join("agrege");
    std::fs::create_dir(&agrege).unwrap();
    for e in std::fs::read_dir(&detail).unwrap() {
        let p = e.unwrap().path();
        let nom = p.file_name().unwrap().to_str().unwrap().to_string();
        if !nom.starts_with("demandeurs_emploi") {
            std::fs::copy(&p, agrege.join(&nom)).unwrap();
        }
    }
    agreger_le_detail(
        &detail.join("demandeurs_emploi_detail.csv"),
        &agrege.join("demandeurs_emploi_agrege.csv"),
    );
    let mut csv = Vec::new();
    for entrees in [&detail, &agrege] {
        let rapports = entrees.join("reports");
        let sortie = lancer(entrees, &rapports, "all", "2");
        assert!(sortie.status.success(), "{}", stderr(&sortie));
        csv.push(std::fs::read_to_string(rapports.join("2020T4/indicateurs.csv")).unwrap());
    }
    assert!(csv[0].lines().count() > 1000, "{}", csv[0].lines().count());
    assert!(csv[0].contains("2020T4,departement,02,Aisne,de_abc_infra_bac,effectif,"));
    // The streamed file's rows are not counted: the manifest says so rather
    // than 0.
    let manifeste: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(detail.join("reports/2020T4/manifest.json")).unwrap(),
    )
    .unwrap();
    let lu = manifeste["entrees"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["fichier"] == "demandeurs_emploi_detail.csv")
        .expect("export détaillé dans le manifeste");
    assert!(lu["lignes_de_donnees"].is_null(), "{lu}");
    assert!(lu["sha256"].as_str().is_some_and(|h| h.len() == 64));
    for (a, b) in csv[0].lines().zip(csv[1].lines()) {
        assert_eq!(a, b, "détail / agrégé");
    }
    assert_eq!(csv[0].lines().count(), csv[1].lines().count());
}

#[test]
fn le_detail_illisible_est_localise() {
    let dossier = tempfile::tempdir().unwrap();
    let e = dossier.path().join("entrees");
    let taille = generateur::Taille {
        departements: 2,
        qpv: 10,
        detail: 2_000,
        agrege: false,
        ..Default::default()
    };
    generateur::generer(&e, &taille).unwrap();
    let chemin = e.join("demandeurs_emploi_detail.csv");
    let mut lignes: Vec<String> = std::fs::read_to_string(&chemin)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lignes[10] = "2020T4;01001;;vingt;3;4;1;A".into(); // line 11
    lignes[20] = "2020T4;01001;;30;3;9;1;A".into(); // line 21
    lignes[30] = "2020T9;01001;;30;3;4;1;A".into(); // line 31
    lignes[40] = "2020T4;01001;;30;3;4;1;cat. A".into(); // line 41
    std::fs::write(&chemin, lignes.join("\n") + "\n").unwrap();
    let sortie = lancer(&e, &dossier.path().join("reports"), "all", "2");
    assert_eq!(sortie.status.code(), Some(1));
    let message = stderr(&sortie);
    for attendu in [
        "demandeurs_emploi_detail.csv:11:4: age illisible (attendu un âge en années, de 14 à 99, trouvé « vingt »)",
        "demandeurs_emploi_detail.csv:21:6: niveau_formation illisible",
        "demandeurs_emploi_detail.csv:31:1: periode illisible",
        "demandeurs_emploi_detail.csv:41:8: categorie illisible (attendu A, B, C, D ou E (vide : catégorie A, B ou C), trouvé « cat. A »)",
    ] {
        assert!(message.contains(attendu), "« {attendu} » absent de :\n{message}");
    }

    // A category alone is enough to stop: counted in or out, it would be a
    // guess.
    let mut lignes: Vec<String> = lignes.clone();
    lignes[10] = "2020T4;01001;;30;3;4;1;A".into();
    lignes[20] = "2020T4;01001;;30;3;4;1;A".into();
    lignes[30] = "2020T4;01001;;30;3;4;1;A".into();
    std::fs::write(&chemin, lignes.join("\n") + "\n").unwrap();
    let sortie = lancer(&e, &dossier.path().join("reports"), "all", "2");
    assert_eq!(sortie.status.code(), Some(1));
    let message = stderr(&sortie);
    assert!(
        message.contains("demandeurs_emploi_detail.csv:41:8: categorie illisible"),
        "{message}"
    );
    assert_eq!(message.matches("erreur :").count(), 1, "{message}");

    // Windows-1252 cannot be streamed: said so, with the way out.
    std::fs::write(&chemin, b"p\xe9riode;code_commune\n").unwrap();
    let sortie = lancer(&e, &dossier.path().join("reports"), "all", "2");
    assert_eq!(sortie.status.code(), Some(1));
    assert!(
        stderr(&sortie).contains("export détaillé dans un autre encodage que UTF-8"),
        "{}",
        stderr(&sortie)
    );
}

#[test]
fn une_evolution_qui_enjambe_une_rupture_de_serie_est_annotee() {
    let dossier = tempfile::tempdir().unwrap();
    let (e, r) = (
        dossier.path().join("entrees"),
        dossier.path().join("reports"),
    );
    // 2024T4 to 2025T4: the annual evolution spans the loi pour le plein
    // emploi (2025T1); the QPV are of the 2024 list throughout.
    let taille = generateur::Taille {
        departements: 1,
        qpv: 10,
        annee: 2025,
        ..Default::default()
    };
    generateur::generer(&e, &taille).unwrap();
    let sortie = lancer(&e, &r, "all", "2");
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let rapport = r.join("2025T4");
    let note = "Rupture de série au 1er trimestre 2025 (loi pour le plein emploi)";
    let texte = crate::commun::espaces_simples(
        &pdf_extract::extract_text(rapport.join("annexe-01-2025T4.pdf")).unwrap(),
    )
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ");
    assert!(texte.contains(note), "{texte}");
    assert!(!texte.contains("QPV 2024"), "{texte}");
    let mut classeur: calamine::Xlsx<_> =
        calamine::open_workbook(rapport.join("annexe-01-2025T4.xlsx")).unwrap();
    use calamine::Reader;
    let notes = classeur.worksheet_range("Notes et sources").unwrap();
    assert!(
        notes
            .cells()
            .any(|(_, _, c)| c.to_string().starts_with(note)),
        "note absente de la feuille Notes et sources"
    );
    // The evolution itself is published: the break is footnoted, not masked.
    let csv = std::fs::read_to_string(rapport.join("indicateurs.csv")).unwrap();
    let ligne = csv
        .lines()
        .find(|l| l.starts_with("2025T4,departement,01,Ain,de_abc,evolution_annuelle,"))
        .unwrap();
    assert!(ligne.ends_with(",,,,,,,01"), "{ligne}");

    // Across the QPV lists (2023T4 → 2024T4) both breaks' notes differ: the
    // QPV one only.
    let e2 = dossier.path().join("entrees2024");
    generateur::generer(
        &e2,
        &generateur::Taille {
            annee: 2024,
            ..taille
        },
    )
    .unwrap();
    // The 2023T4 rows are of the 2015 list: drop them, as a producer would
    // not give 2024 codes for 2023.
    let chemin = e2.join("demandeurs_emploi_national.csv");
    let export: String = std::fs::read_to_string(&chemin)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("2023T4;qpv;"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&chemin, export).unwrap();
    let sortie = lancer(&e2, &r, "all", "2");
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let texte = crate::commun::espaces_simples(
        &pdf_extract::extract_text(r.join("2024T4/annexe-01-2024T4.pdf")).unwrap(),
    )
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" ");
    assert!(
        texte.contains(
            "Rupture de série au 1er trimestre 2024 (nouvelle géographie prioritaire de 2024)"
        ),
        "{texte}"
    );
    assert!(!texte.contains("plein emploi"), "{texte}");
}

#[test]
fn validate_verifie_chaque_departement() {
    let (_dossier, e, _) = preparer();
    let valider = |departements: &str| {
        Command::new(env!("CARGO_BIN_EXE_qpv-annexe"))
            .args(["validate", "--departements", departements, "--config"])
            .arg(e.join("conseil.toml"))
            .output()
            .unwrap()
    };
    let sortie = valider("all");
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    assert!(
        stderr(&sortie).contains("pour 01, 02, 03 : 0 EPT, 6 EPCI, 15 communes, 30 QPV"),
        "{}",
        stderr(&sortie)
    );
    let sortie = valider("01,04");
    assert_eq!(sortie.status.code(), Some(1));
    assert!(
        stderr(&sortie).contains("aucune ligne « departement » 04 pour la période 2020T4"),
        "{}",
        stderr(&sortie)
    );
}
