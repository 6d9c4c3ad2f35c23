//! The documents read as a screen reader reads them: the PDF's structure
//! tree (headings in order, tables with their header cells, figures with a
//! text that gives their figures), its language, title and PDF/UA claim;
//! the workbook's charts with their description. Read with lopdf (through
//! pdf-extract), without any outside tool.

use pdf_extract::{Dictionary, Document, Object};

use crate::commun::{copie_des_entrees, run, stderr};

/// A PDF text string: UTF-16BE after its byte order mark, else PDFDocEncoding
/// (Latin-1 for what is written here).
fn texte(o: &Object) -> String {
    let octets = o.as_str().unwrap_or_default();
    match octets.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => String::from_utf16_lossy(
            &utf16
                .chunks(2)
                .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
                .collect::<Vec<_>>(),
        ),
        None => octets.iter().map(|&b| b as char).collect(),
    }
}

fn dictionnaire<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    doc.dereference(o).ok()?.1.as_dict().ok()
}

/// The structure elements under `element`, depth first: type, depth,
/// alternative text.
fn elements(
    doc: &Document,
    element: &Dictionary,
    profondeur: usize,
    sortie: &mut Vec<(String, usize, String)>,
) {
    let role = element
        .get(b"S")
        .and_then(Object::as_name)
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default();
    let alt = element.get(b"Alt").map(texte).unwrap_or_default();
    sortie.push((role, profondeur, alt));
    let enfants: Vec<&Object> = match element.get(b"K") {
        Ok(Object::Array(a)) => a.iter().collect(),
        Ok(o) => vec![o],
        Err(_) => Vec::new(),
    };
    let (sous_elements, contenus): (Vec<&Object>, Vec<&Object>) = enfants
        .into_iter()
        .partition(|e| dictionnaire(doc, e).is_some_and(|d| d.get(b"S").is_ok()));
    // An element holds either elements or marked contents, never both:
    // the layout draws text only in the innermost element.
    assert!(
        sous_elements.is_empty() || contenus.is_empty(),
        "{} mêle éléments et contenus",
        sortie.last().map_or("?", |(r, _, _)| r.as_str())
    );
    for e in sous_elements {
        if let Some(d) = dictionnaire(doc, e) {
            elements(doc, d, profondeur + 1, sortie);
        }
    }
}

#[test]
fn l_annexe_se_lit_avec_ses_titres_ses_tableaux_et_ses_figures() {
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let chemin = dossier.path().join("reports/2020T4/annexe-92-2020T4.pdf");
    let doc = Document::load(&chemin).unwrap();
    let catalogue = doc.catalog().unwrap();
    assert_eq!(texte(catalogue.get(b"Lang").unwrap()), "fr-FR");
    let marque = dictionnaire(&doc, catalogue.get(b"MarkInfo").unwrap()).unwrap();
    assert!(marque.get(b"Marked").unwrap().as_bool().unwrap());
    let vue = dictionnaire(&doc, catalogue.get(b"ViewerPreferences").unwrap()).unwrap();
    assert!(vue.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    let xmp = doc
        .get_object(catalogue.get(b"Metadata").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap();
    let xmp = String::from_utf8_lossy(&xmp.content);
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
    assert!(
        xmp.contains("Annexe statistique QPV — Hauts-de-Seine — 2020T4"),
        "{xmp}"
    );

    let racine = dictionnaire(&doc, catalogue.get(b"StructTreeRoot").unwrap()).unwrap();
    let document = dictionnaire(&doc, racine.get(b"K").unwrap()).unwrap();
    let mut tous = Vec::new();
    elements(&doc, document, 0, &mut tous);
    let roles: Vec<&str> = tous.iter().map(|(r, _, _)| r.as_str()).collect();
    assert_eq!(roles[0], "Document");
    // One title, then the sections; no heading inside another element.
    assert_eq!(roles.iter().filter(|r| **r == "H1").count(), 1);
    assert!(roles.iter().position(|r| *r == "H1") < roles.iter().position(|r| *r == "H2"));
    assert!(tous
        .iter()
        .filter(|(r, _, _)| r.starts_with('H'))
        .all(|(_, p, _)| *p == 1));
    // Every table opens on a row of header cells (columns).
    for (i, _) in tous
        .iter()
        .enumerate()
        .filter(|(_, (r, _, _))| r == "Table")
    {
        assert_eq!(roles[i + 1], "TR");
        let n = roles[i + 2..].iter().take_while(|r| **r == "TH").count();
        assert!(n > 1, "{:?}", &roles[i..i + 4]);
        // Each other row: its header cell (the row's name), then data.
        if roles.get(i + 2 + n) == Some(&"TR") {
            assert_eq!(roles[i + 3 + n], "TH");
            assert_eq!(roles[i + 4 + n], "TD");
        }
    }
    // The figures say what they show, with the figures.
    let figures: Vec<&String> = tous
        .iter()
        .filter(|(r, _, _)| r == "Figure")
        .map(|(_, _, a)| a)
        .collect();
    assert_eq!(figures.len(), 2);
    let espaces = |t: &str| t.replace(['\u{202f}', '\u{a0}'], " ");
    assert!(
        figures
            .iter()
            .any(|a| espaces(a).contains("4e trimestre 2020 127 479")),
        "{figures:?}"
    );
    assert!(
        figures.iter().any(|a| espaces(a)
            .starts_with("Demandeurs d'emploi par QPV : Le Parc 1 840, Aire 2029 1 500")),
        "{figures:?}"
    );
    // Lists: each item a bullet and its text.
    let i = roles.iter().position(|r| *r == "LI").unwrap();
    assert_eq!(&roles[i..i + 3], ["LI", "Lbl", "LBody"]);
}

/// The workbook's charts have a title and a description giving their
/// figures.
#[test]
fn les_graphiques_du_classeur_sont_decrits() {
    use std::io::Read;
    let dossier = copie_des_entrees();
    let sortie = run(dossier.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let chemin = dossier.path().join("reports/2020T4/annexe-92-2020T4.xlsx");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(chemin).unwrap()).unwrap();
    let mut descriptions = String::new();
    for i in 0..archive.len() {
        let mut partie = archive.by_index(i).unwrap();
        if partie
            .name()
            .is_ok_and(|n| n.starts_with("xl/drawings/drawing"))
        {
            partie.read_to_string(&mut descriptions).unwrap();
        }
    }
    let descriptions = descriptions.replace(['\u{202f}', '\u{a0}'], " ");
    assert!(
        descriptions.contains("Demandeurs d'emploi ABC par QPV : Le Parc 1 840, Aire 2029 1 500"),
        "{descriptions}"
    );
    assert!(
        descriptions.contains("127 479 au 4e trimestre 2020"),
        "{descriptions}"
    );
    assert!(
        descriptions.contains("… et 12 autres dans le tableau."),
        "{descriptions}"
    );
}
