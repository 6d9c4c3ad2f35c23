//! A département outside the Grand Paris, from the files as they are
//! published and kept: the ANCT list of QPV with its EPCI columns, INSEE's
//! composition of the EPCI as a workbook (title rows, sheets
//! `Composition_communale` and `EPCI`), a funding register kept in Excel.
//! The intercommunal level is the EPCI: in `indicateurs.csv` (level
//! `epci`, code: the SIREN), in the workbook ("Par EPCI") and in the PDF,
//! with no word of EPT.

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::commun::{espaces_simples, lire_csv, run, stderr, Ligne};

const ROISSY: &str = "200055655";
const CERGY: &str = "249500109";

/// The ANCT list of 2024 as published: UTF-8 with BOM, `;`, a trailing
/// `;`, an intercommunal QPV with its communes in one cell.
const LISTE_ANCT: &str = "\u{feff}code_qp;lib_qp;insee_reg;lib_reg;insee_dep;lib_dep;insee_com;lib_com;siren_epci;lib_epci;\n\
QN09501M;Les Lochères;11;Île-de-France;95;Val-d'Oise;95585;Sarcelles;200055655;CA Roissy Pays de France;\n\
QN09502M;Dame Blanche;11;Île-de-France;95;Val-d'Oise;\"95268; 95585\";\"Garges-lès-Gonesse; Sarcelles\";200055655;CA Roissy Pays de France;\n\
QN09503M;Axe Majeur - Horloge;11;Île-de-France;95;Val-d'Oise;95127;Cergy;249500109;Cergy-Pontoise;\n\
QN09504M;Les Doucettes;11;Île-de-France;95;Val-d'Oise;95268;Garges-lès-Gonesse;200055655;CA Roissy Pays de France;\n";

/// INSEE's composition workbook, in its published shape.
fn composition_insee(chemin: &Path) {
    let mut classeur = Workbook::new();
    let epci = classeur.add_worksheet();
    epci.set_name("EPCI").unwrap();
    epci.write_string(0, 0, "Liste des EPCI au 1er janvier 2024")
        .unwrap();
    epci.write_string(1, 0, "Source : Insee, Code officiel géographique")
        .unwrap();
    for (j, t) in ["EPCI", "LIBEPCI", "NATURE_EPCI", "NB_COM"]
        .iter()
        .enumerate()
    {
        epci.write_string(5, j as u16, *t).unwrap();
    }
    for (i, (code, nom, nature, n)) in [
        (ROISSY, "CA Roissy Pays de France", "CA", 42.0),
        (CERGY, "CA de Cergy-Pontoise", "CA", 13.0),
        ("200035970", "CC du Pays de Valois", "CC", 62.0),
    ]
    .iter()
    .enumerate()
    {
        let r = 6 + i as u32;
        epci.write_string(r, 0, *code).unwrap();
        epci.write_string(r, 1, *nom).unwrap();
        epci.write_string(r, 2, *nature).unwrap();
        epci.write_number(r, 3, *n).unwrap();
    }
    let compo = classeur.add_worksheet();
    compo.set_name("Composition_communale").unwrap();
    compo
        .write_string(0, 0, "Composition communale des EPCI au 1er janvier 2024")
        .unwrap();
    compo.write_string(1, 0, "Source : Insee").unwrap();
    for (j, t) in ["CODGEO", "LIBGEO", "EPCI", "LIBEPCI", "DEP", "REG"]
        .iter()
        .enumerate()
    {
        compo.write_string(5, j as u16, *t).unwrap();
    }
    for (i, ligne) in [
        [
            "95585",
            "Sarcelles",
            ROISSY,
            "CA Roissy Pays de France",
            "95",
            "11",
        ],
        [
            "95268",
            "Garges-lès-Gonesse",
            ROISSY,
            "CA Roissy Pays de France",
            "95",
            "11",
        ],
        [
            "95280",
            "Goussainville",
            ROISSY,
            "CA Roissy Pays de France",
            "95",
            "11",
        ],
        // The CA spans the Seine-et-Marne too: its QPV figures are still
        // whole, its QPV being all in the Val-d'Oise.
        [
            "77291",
            "Mitry-Mory",
            ROISSY,
            "CA Roissy Pays de France",
            "77",
            "11",
        ],
        ["95127", "Cergy", CERGY, "CA de Cergy-Pontoise", "95", "11"],
        [
            "95500",
            "Pontoise",
            CERGY,
            "CA de Cergy-Pontoise",
            "95",
            "11",
        ],
        [
            "60001",
            "Abancourt",
            "200035970",
            "CC du Pays de Valois",
            "60",
            "32",
        ],
    ]
    .iter()
    .enumerate()
    {
        for (j, v) in ligne.iter().enumerate() {
            compo.write_string(6 + i as u32, j as u16, *v).unwrap();
        }
    }
    classeur.save(chemin).unwrap();
}

/// Two quarters of job seekers: the département, its communes (one
/// without QPV), its QPV (the intercommunal one with its parts), and the
/// EPCI as France Travail gives them (level `epci`, code: the SIREN).
const DEMANDEURS: &str =
    "periode;niveau;code;libelle;code_commune;de_abc;de_abc_moins_26;de_abc_50_plus\n\
2024T3;departement;95;Val-d'Oise;;90000;11000;20000\n\
2024T3;epci;200055655;CA Roissy Pays de France;;26000;3400;5200\n\
2024T3;epci;249500109;CA de Cergy-Pontoise;;14000;1800;2900\n\
2024T3;commune;95585;Sarcelles;;6100;800;1200\n\
2024T3;commune;95268;Garges-lès-Gonesse;;4300;560;800\n\
2024T3;commune;95280;Goussainville;;2900;380;560\n\
2024T3;commune;95127;Cergy;;6800;900;1300\n\
2024T3;qpv;QN09501M;Les Lochères;;1500;200;300\n\
2024T3;qpv;QN09502M;Dame Blanche;;1300;170;240\n\
2024T3;qpv;QN09502M;Dame Blanche;95268;900;120;160\n\
2024T3;qpv;QN09502M;Dame Blanche;95585;400;50;80\n\
2024T3;qpv;QN09503M;Axe Majeur - Horloge;;1100;150;200\n\
2024T3;qpv;QN09504M;Les Doucettes;;600;80;110\n\
2024T4;departement;95;Val-d'Oise;;91000;11200;20300\n\
2024T4;epci;200055655;CA Roissy Pays de France;;26400;3450;5250\n\
2024T4;epci;249500109;CA de Cergy-Pontoise;;14200;1820;2950\n\
2024T4;commune;95585;Sarcelles;;6200;810;1210\n\
2024T4;commune;95268;Garges-lès-Gonesse;;4350;570;810\n\
2024T4;commune;95280;Goussainville;;2950;385;570\n\
2024T4;commune;95127;Cergy;;6900;910;1320\n\
2024T4;qpv;QN09501M;Les Lochères;;1520;205;305\n\
2024T4;qpv;QN09502M;Dame Blanche;;1320;175;245\n\
2024T4;qpv;QN09502M;Dame Blanche;95268;910;125;165\n\
2024T4;qpv;QN09502M;Dame Blanche;95585;410;50;80\n\
2024T4;qpv;QN09503M;Axe Majeur - Horloge;;1120;155;205\n\
2024T4;qpv;QN09504M;Les Doucettes;;610;82;112\n";

/// A row of the funding register: dispositif, porteur, intitulé,
/// commune, QPV, amount, status, decision date.
type Dossier = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static str,
    (u16, u8, u8),
);

const DOSSIERS: [Dossier; 3] = [
    (
        "Fonds friches",
        "Ville de Goussainville",
        "Vieux-Pays",
        "95280",
        "",
        595_000.0,
        "Retenu",
        (2024, 9, 15),
    ),
    (
        "DSIL",
        "Ville de Sarcelles",
        "Groupe scolaire",
        "95585",
        "QN09501M",
        1_400_000.5,
        "Retenu",
        (2024, 10, 1),
    ),
    (
        "DSIL",
        "Ville de Cergy",
        "Voie douce",
        "95127",
        "QN09503M",
        800_000.0,
        "En instruction",
        (2024, 11, 20),
    ),
];

const ENTETE_DOSSIERS: [&str; 8] = [
    "dispositif",
    "porteur",
    "intitule",
    "code_commune",
    "code_qpv",
    "montant_eur",
    "statut",
    "date_decision",
];

/// The register as CSV, amounts written the French way.
fn registre_csv() -> String {
    let mut t = ENTETE_DOSSIERS.join(";") + "\n";
    for (d, p, i, c, q, m, s, (a, mo, j)) in DOSSIERS {
        let montant = format!("{m:.2}").replace('.', ",");
        t.push_str(&format!(
            "{d};{p};{i};{c};{q};{montant};{s};{a:04}-{mo:02}-{j:02}\n"
        ));
    }
    t
}

/// The same register as a préfecture keeps it: a title row, a blank row,
/// typed numbers and dates, in a sheet named « Dossiers » after another.
fn registre_xlsx(chemin: &Path) {
    let mut classeur = Workbook::new();
    let notes = classeur.add_worksheet();
    notes.set_name("Lisez-moi").unwrap();
    notes
        .write_string(
            0,
            0,
            "Registre tenu par le bureau de la politique de la ville",
        )
        .unwrap();
    let f = classeur.add_worksheet();
    f.set_name("Dossiers").unwrap();
    f.write_string(0, 0, "Registre des dossiers — Val-d'Oise")
        .unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let euros = Format::new().set_num_format("# ##0,00 €");
    for (j, t) in ENTETE_DOSSIERS.iter().enumerate() {
        f.write_string(2, j as u16, *t).unwrap();
    }
    for (i, (d, p, intitule, c, q, m, s, (a, mo, j))) in DOSSIERS.iter().enumerate() {
        let r = 3 + i as u32;
        f.write_string(r, 0, *d).unwrap();
        f.write_string(r, 1, *p).unwrap();
        f.write_string(r, 2, *intitule).unwrap();
        f.write_string(r, 3, *c).unwrap();
        if !q.is_empty() {
            f.write_string(r, 4, *q).unwrap();
        }
        f.write_number_with_format(r, 5, *m, &euros).unwrap();
        f.write_string(r, 6, *s).unwrap();
        let jour = ExcelDateTime::from_ymd(*a, *mo, *j).unwrap();
        f.write_datetime_with_format(r, 7, &jour, &date).unwrap();
    }
    classeur.save(chemin).unwrap();
}

const CONSEIL: &str = "[conseil]\ntitre = \"Comité de pilotage du contrat de ville\"\ndate = \"2025-02-10\"\ndepartement = \"95\"\nnom_departement = \"Val-d'Oise\"\nperiode = \"2024T4\"\n";

/// The Val-d'Oise's inputs in `dossier`, its register as CSV or workbook.
fn val_d_oise(dossier: &Path, registre_en_classeur: bool) {
    std::fs::write(dossier.join("listeqp2024-cog2024.csv"), LISTE_ANCT).unwrap();
    composition_insee(&dossier.join("EPCI_au_01-01-2024.xlsx"));
    std::fs::write(dossier.join("demandeurs_emploi_2024.csv"), DEMANDEURS).unwrap();
    if registre_en_classeur {
        registre_xlsx(&dossier.join("financements_2024.xlsx"));
        let conseil =
            format!("{CONSEIL}\n[entrees]\nfinancements = [\"financements_2024.xlsx#Dossiers\"]\n");
        std::fs::write(dossier.join("conseil.toml"), conseil).unwrap();
    } else {
        std::fs::write(dossier.join("financements_2024.csv"), registre_csv()).unwrap();
        std::fs::write(dossier.join("conseil.toml"), CONSEIL).unwrap();
    }
}

fn ligne<'a>(
    lignes: &'a [Ligne],
    niveau: &str,
    code: &str,
    indicateur: &str,
    mesure: &str,
) -> Option<&'a Ligne> {
    lignes.iter().find(|l| {
        l["periode"] == "2024T4"
            && l["niveau"] == niveau
            && l["code"] == code
            && l["indicateur"] == indicateur
            && l["mesure"] == mesure
            && l["dispositif"].is_empty()
    })
}

fn feuilles(chemin: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut classeur: Xlsx<_> = open_workbook(chemin).unwrap();
    let noms = classeur.sheet_names().to_vec();
    noms.into_iter()
        .map(|n| {
            let plage = classeur.worksheet_range(&n).unwrap();
            let lignes = plage
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            c => c.to_string(),
                        })
                        .collect()
                })
                .collect();
            (n, lignes)
        })
        .collect()
}

#[test]
fn un_departement_hors_du_grand_paris_a_ses_epci() {
    let d = tempfile::tempdir().unwrap();
    val_d_oise(d.path(), false);
    let sortie = run(d.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    assert!(
        !stderr(&sortie).contains("siren_epci"),
        "les colonnes EPCI de la liste de l'ANCT ne sont pas ignorées : {}",
        stderr(&sortie)
    );
    let rapport = d.path().join("reports/2024T4");
    let lignes = lire_csv(&rapport.join("indicateurs.csv"));
    // The EPCI's job seekers, whole (the producer's) and in QPV (its QPV,
    // whole or their parts).
    let valeur = |n: &str, c: &str, i: &str, m: &str| -> String {
        ligne(&lignes, n, c, i, m).unwrap_or_else(|| panic!("{n} {c} {i} {m} absent"))["valeur"]
            .clone()
    };
    assert_eq!(valeur("epci", ROISSY, "de_abc", "effectif"), "26400");
    assert_eq!(valeur("epci", ROISSY, "de_abc_qpv", "effectif"), "3450");
    assert_eq!(valeur("epci", CERGY, "de_abc_qpv", "effectif"), "1120");
    assert_eq!(
        ligne(&lignes, "epci", ROISSY, "de_abc", "effectif").unwrap()["libelle"],
        "CA Roissy Pays de France"
    );
    assert_eq!(valeur("epci", ROISSY, "quartiers", "nb_qpv"), "3");
    // The ANCT list names Cergy's EPCI without its nature: INSEE's sheet
    // `EPCI` gives it.
    assert_eq!(
        ligne(&lignes, "epci", CERGY, "de_abc", "effectif").unwrap()["libelle"],
        "CA Cergy-Pontoise"
    );
    assert!(!lignes.iter().any(|l| l["niveau"] == "ept"));
    // Funding by EPCI counts its communes without QPV too (INSEE's
    // composition): Goussainville's friches in Roissy Pays de France.
    let financements: f64 = lignes
        .iter()
        .filter(|l| {
            l["niveau"] == "epci"
                && l["code"] == ROISSY
                && l["indicateur"] == "financements"
                && l["mesure"] == "montant_eur"
                && l["localisation"].is_empty()
                && l["statut_dossier"].is_empty()
        })
        .map(|l| l["valeur"].parse::<f64>().unwrap())
        .sum();
    assert_eq!(financements, 1_995_000.5);

    // The workbook: a sheet « Par EPCI », none « Par EPT »; the QPV under
    // their EPCI; a commune without QPV named.
    let f = feuilles(&rapport.join("annexe-95-2024T4.xlsx"));
    let noms: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
    assert!(noms.contains(&"Par EPCI"), "{noms:?}");
    assert!(!noms.iter().any(|n| n.contains("EPT")), "{noms:?}");
    let tout: String = f
        .iter()
        .flat_map(|(_, l)| l.iter().flatten())
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        !tout.contains("EPT"),
        "« EPT » dans le classeur d'un département sans EPT"
    );
    assert!(!tout.contains("établissement public territorial"));
    assert!(tout.contains("CA Roissy Pays de France"));
    // Goussainville has no QPV: its name comes from INSEE's composition.
    let financements = &f.iter().find(|(n, _)| n == "Financements").unwrap().1;
    assert!(
        financements
            .iter()
            .any(|l| l.contains(&"Vieux-Pays".to_string())
                && l.contains(&"Goussainville".to_string())),
        "{financements:?}"
    );
    assert!(!tout.contains("95280"), "une commune désignée par son code");
    let par_epci = &f.iter().find(|(n, _)| n == "Par EPCI").unwrap().1;
    assert!(par_epci
        .iter()
        .any(|l| l.first().map(String::as_str) == Some(ROISSY)));

    // The PDF names the EPCI, and no EPT.
    let pdf =
        espaces_simples(&pdf_extract::extract_text(rapport.join("annexe-95-2024T4.pdf")).unwrap())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    assert!(pdf.contains("CA Roissy Pays de France"), "{pdf}");
    assert!(pdf.contains("EPCI"));
    assert!(
        !pdf.contains("EPT"),
        "« EPT » dans le PDF d'un département sans EPT"
    );
}

/// The register kept in Excel (title rows, typed amounts and dates, a
/// sheet named in `[entrees]`) gives the same figures, byte for byte, as
/// the same register in CSV.
#[test]
fn un_registre_en_classeur_donne_les_memes_chiffres_qu_en_csv() {
    let (csv, xlsx) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    val_d_oise(csv.path(), false);
    val_d_oise(xlsx.path(), true);
    for d in [&csv, &xlsx] {
        let sortie = run(d.path());
        assert!(sortie.status.success(), "{}", stderr(&sortie));
    }
    let lire = |d: &tempfile::TempDir| {
        std::fs::read(d.path().join("reports/2024T4/indicateurs.csv")).unwrap()
    };
    assert_eq!(lire(&csv), lire(&xlsx));
}

/// A bad cell of a workbook is located as a spreadsheet's user finds it:
/// the file, the sheet, the cell.
#[test]
fn une_cellule_illisible_d_un_classeur_est_localisee() {
    let d = tempfile::tempdir().unwrap();
    val_d_oise(d.path(), true);
    let chemin = d.path().join("financements_2024.xlsx");
    let mut classeur = Workbook::new();
    let f = classeur.add_worksheet();
    f.set_name("Dossiers").unwrap();
    for (j, t) in ENTETE_DOSSIERS.iter().enumerate() {
        f.write_string(0, j as u16, *t).unwrap();
    }
    let cellules = [
        "DSIL",
        "Ville de Sarcelles",
        "École",
        "95585",
        "QN09501M",
        "2,8 M€",
        "Retenu",
        "2024-10-01",
    ];
    for (j, v) in cellules.iter().enumerate() {
        f.write_string(11, j as u16, *v).unwrap();
    }
    classeur.save(&chemin).unwrap();
    let sortie = run(d.path());
    assert_eq!(sortie.status.code(), Some(1), "{}", stderr(&sortie));
    let message = stderr(&sortie);
    assert!(
        message.contains("financements_2024.xlsx, feuille « Dossiers », cellule F12 :"),
        "{message}"
    );
    assert!(message.contains("2,8 M€"), "{message}");
    assert!(
        !d.path().join("reports/2024T4").exists(),
        "rapport écrit malgré l'erreur"
    );
}

/// The workbook at `chemin` as a program that never computes its
/// formulas writes it (openpyxl): each formula cell without its value.
fn sans_valeurs_calculees(chemin: &Path) {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::fs::File::open(chemin).unwrap()).unwrap();
    let mut parties = Vec::new();
    let motif = regex::Regex::new(r"(<f>[^<]*</f>)<v>[^<]*</v>").unwrap();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let nom = f.name().unwrap().to_string();
        let mut octets: Vec<u8> = Vec::new();
        f.read_to_end(&mut octets).unwrap();
        if nom.starts_with("xl/worksheets/") {
            let texte = String::from_utf8(octets).unwrap();
            octets = motif.replace_all(&texte, "$1").into_owned().into_bytes();
        }
        parties.push((nom, octets));
    }
    let mut sortie = zip::ZipWriter::new(std::fs::File::create(chemin).unwrap());
    for (nom, octets) in parties {
        sortie
            .start_file(nom, zip::write::SimpleFileOptions::default())
            .unwrap();
        sortie.write_all(&octets).unwrap();
    }
    sortie.finish().unwrap();
}

/// A workbook that cannot be read as data says why: protected by a
/// password, a formula never computed, a sheet that does not exist.
#[test]
fn un_classeur_protege_ou_sans_valeurs_est_refuse() {
    // Password-protected: an encrypted OOXML file is an OLE container.
    let d = tempfile::tempdir().unwrap();
    val_d_oise(d.path(), true);
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    std::fs::write(d.path().join("financements_2024.xlsx"), ole).unwrap();
    let sortie = run(d.path());
    assert_eq!(sortie.status.code(), Some(1), "{}", stderr(&sortie));
    assert!(
        stderr(&sortie).contains("protégé par un mot de passe"),
        "{}",
        stderr(&sortie)
    );

    // A formula without its cached value (written by a program).
    let d = tempfile::tempdir().unwrap();
    val_d_oise(d.path(), true);
    let mut classeur = Workbook::new();
    let f = classeur.add_worksheet();
    f.set_name("Dossiers").unwrap();
    for (j, t) in ENTETE_DOSSIERS.iter().enumerate() {
        f.write_string(0, j as u16, *t).unwrap();
    }
    for (j, v) in ["DSIL", "Ville de Cergy", "Voie douce", "95127", "QN09503M"]
        .iter()
        .enumerate()
    {
        f.write_string(1, j as u16, *v).unwrap();
    }
    f.write_formula(1, 5, "=400000*2").unwrap();
    f.write_string(1, 6, "Retenu").unwrap();
    f.write_string(1, 7, "2024-10-01").unwrap();
    let chemin = d.path().join("financements_2024.xlsx");
    classeur.save(&chemin).unwrap();
    sans_valeurs_calculees(&chemin);
    let sortie = run(d.path());
    let message = stderr(&sortie);
    assert_eq!(sortie.status.code(), Some(1), "{message}");
    assert!(
        message.contains("cellule F2") && message.contains("formule sans valeur calculée"),
        "{message}"
    );

    // A sheet named in the settings that the workbook does not have.
    let d = tempfile::tempdir().unwrap();
    val_d_oise(d.path(), true);
    let conseil =
        format!("{CONSEIL}\n[entrees]\nfinancements = [\"financements_2024.xlsx#Registre\"]\n");
    std::fs::write(d.path().join("conseil.toml"), conseil).unwrap();
    let sortie = run(d.path());
    let message = stderr(&sortie);
    assert_eq!(sortie.status.code(), Some(1), "{message}");
    assert!(
        message.contains("feuille « Registre » absente du classeur"),
        "{message}"
    );
    assert!(message.contains("Dossiers"), "{message}");
}

/// Every input of the sample as a workbook (a title row above the header,
/// counts and amounts as number cells, dates as date cells) gives the
/// sample's `indicateurs.csv`, byte for byte.
#[test]
fn toutes_les_entrees_de_l_exemple_en_classeurs() {
    let reference = crate::commun::copie_des_entrees();
    assert!(run(reference.path()).status.success());
    let dossier = crate::commun::copie_des_entrees();
    let mut convertis = 0;
    for entree in std::fs::read_dir(dossier.path()).unwrap() {
        let chemin = entree.unwrap().path();
        let nom = chemin.file_name().unwrap().to_string_lossy().into_owned();
        if !nom.ends_with(".csv") || nom.starts_with("contacts") {
            continue;
        }
        en_classeur(&chemin);
        std::fs::remove_file(&chemin).unwrap();
        convertis += 1;
    }
    assert!(convertis >= 9);
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let lire = |d: &Path| std::fs::read(d.join("reports/2020T4/indicateurs.csv")).unwrap();
    assert_eq!(lire(dossier.path()), lire(reference.path()));
}

/// The CSV at `chemin` as `<nom>.xlsx`, its cells typed as a spreadsheet
/// would type them.
fn en_classeur(chemin: &Path) {
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_path(chemin)
        .unwrap();
    let lignes: Vec<csv::StringRecord> = lecteur.records().map(Result::unwrap).collect();
    let entete: Vec<String> = lignes[0]
        .iter()
        .map(|c| c.trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let mut classeur = Workbook::new();
    let f = classeur.add_worksheet();
    f.write_string(0, 0, "Export de l'exemple").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let texte_seul =
        |c: &str| c.starts_with("code") || ["siret", "vague", "periode", "annee"].contains(&c);
    for (i, l) in lignes.iter().enumerate() {
        let r = 1 + i as u32;
        for (j, v) in l.iter().enumerate() {
            let j16 = j as u16;
            let colonne = entete.get(j).map(String::as_str).unwrap_or("");
            let chiffres: String = v
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '€')
                .collect();
            let nombre = chiffres.replace(',', ".").parse::<f64>().ok();
            let jour = (v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-')
                .then(|| ExcelDateTime::parse_from_str(v).ok())
                .flatten();
            match (i, nombre, jour) {
                (0, _, _) => f.write_string(r, j16, v).map(|_| ()),
                _ if v.is_empty() => Ok(()),
                (_, _, Some(d)) => f.write_datetime_with_format(r, j16, &d, &date).map(|_| ()),
                (_, Some(n), _) if !texte_seul(colonne) && !chiffres.starts_with('0') => {
                    f.write_number(r, j16, n).map(|_| ())
                }
                _ => f.write_string(r, j16, v).map(|_| ()),
            }
            .unwrap();
        }
    }
    classeur.save(chemin.with_extension("xlsx")).unwrap();
}
