//! The departmental workbook: a summary sheet that reads like the deck,
//! one sheet per level (QPV, commune, EPT or EPCI), and the notes and
//! sources.
//! Figures are numbers with French-displayed formats, never text; a missing
//! figure is its conventional sign, as text.

use std::path::Path;

use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormatCell, ConditionalFormatCellRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Table, TableColumn, TableStyle, Workbook,
    Worksheet,
};

use super::tableaux::{Cellule, Tableau};
use super::Contenu;
use crate::erreur::{Erreur, Resultat};
use crate::rapport::version::Rectification;
use crate::reglages::Reglages;

/// Formats written US-style: Excel and LibreOffice show them in the
/// reader's locale (`127 479`, `11,0 %` in French).
struct Formats {
    titre: Format,
    sous_titre: Format,
    entete: Format,
    texte: Format,
    effectif: Format,
    part: Format,
    evolution: Format,
    montant: Format,
    signe: Format,
    note: Format,
    alerte: Format,
    hausse: Format,
    baisse: Format,
}

impl Formats {
    fn new() -> Formats {
        let bordure = |f: Format| f.set_border(FormatBorder::Thin).set_border_color("#BFBFBF");
        Formats {
            titre: Format::new().set_bold().set_font_size(14),
            sous_titre: Format::new()
                .set_bold()
                .set_font_size(11)
                .set_font_color("#000091"),
            entete: bordure(
                Format::new()
                    .set_bold()
                    .set_text_wrap()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_background_color("#E3E3FD"),
            ),
            texte: bordure(
                Format::new()
                    .set_text_wrap()
                    .set_align(FormatAlign::VerticalCenter),
            ),
            effectif: bordure(Format::new().set_num_format("#,##0")),
            part: bordure(Format::new().set_num_format("0.0%")),
            evolution: bordure(Format::new().set_num_format("+0.0%;-0.0%;0.0%")),
            montant: bordure(Format::new().set_num_format("#,##0 \"€\"")),
            signe: bordure(Format::new().set_align(FormatAlign::Right)),
            note: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            alerte: Format::new().set_bold().set_font_color("#C00000"),
            hausse: Format::new().set_font_color("#C00000"),
            baisse: Format::new().set_font_color("#18753C"),
        }
    }
}

fn ecrire_cellule(
    feuille: &mut Worksheet,
    f: &Formats,
    ligne: u32,
    colonne: u16,
    cellule: &Cellule,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match cellule {
        Cellule::Texte(t) => feuille.write_string_with_format(ligne, colonne, t, &f.texte)?,
        Cellule::Effectif(x) => {
            feuille.write_number_with_format(ligne, colonne, *x, &f.effectif)?
        }
        Cellule::Part(x) => feuille.write_number_with_format(ligne, colonne, *x, &f.part)?,
        Cellule::Evolution(x) => {
            feuille.write_number_with_format(ligne, colonne, *x, &f.evolution)?
        }
        Cellule::Montant(x) => feuille.write_number_with_format(ligne, colonne, *x, &f.montant)?,
        Cellule::Manquant(_) | Cellule::ManquantEnClair(_) | Cellule::SansObjet => {
            feuille.write_string_with_format(ligne, colonne, cellule.texte(), &f.signe)?
        }
    };
    Ok(())
}

/// Writes a table with its header at `ligne`; returns the next free row.
fn ecrire_tableau(
    feuille: &mut Worksheet,
    f: &Formats,
    ligne: u32,
    tableau: &Tableau,
) -> Result<u32, rust_xlsxwriter::XlsxError> {
    for (j, entete) in tableau.entetes.iter().enumerate() {
        feuille.write_string_with_format(ligne, j as u16, entete, &f.entete)?;
    }
    feuille.set_row_height(ligne, 45)?;
    for (i, l) in tableau.lignes.iter().enumerate() {
        for (j, c) in l.iter().enumerate() {
            ecrire_cellule(feuille, f, ligne + 1 + i as u32, j as u16, c)?;
        }
    }
    colorier_evolutions(feuille, f, ligne + 1, tableau)?;
    Ok(ligne + 1 + tableau.lignes.len() as u32)
}

/// A table under its title (its caption row), made a native table:
/// title at `ligne`, header under it; returns the row after its last.
fn tableau_sous_titre(
    feuille: &mut Worksheet,
    f: &Formats,
    ligne: u32,
    tableau: &Tableau,
) -> Result<u32, rust_xlsxwriter::XlsxError> {
    feuille.write_string_with_format(ligne, 0, &tableau.titre, &f.sous_titre)?;
    let fin = ecrire_tableau(feuille, f, ligne + 1, tableau)?;
    tableau_natif(feuille, f, ligne + 1, fin, tableau)?;
    Ok(fin)
}

/// Column widths from the longest line of text of each column (headers
/// wrap; longer texts wrap past 45 characters).
fn largeurs_colonnes(tableau: &Tableau, minimum: f64) -> Vec<f64> {
    (0..tableau.entetes.len())
        .map(|j| {
            let plus_long = tableau
                .lignes
                .iter()
                .filter_map(|l| l.get(j))
                .map(|c| {
                    c.texte()
                        .lines()
                        .map(|l| l.chars().count())
                        .max()
                        .unwrap_or(0)
                })
                .max()
                .unwrap_or(0);
            (plus_long as f64 + 2.0).clamp(minimum, 45.0)
        })
        .collect()
}

fn largeurs(
    feuille: &mut Worksheet,
    tableau: &Tableau,
    minimum: f64,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (j, largeur) in largeurs_colonnes(tableau, minimum).into_iter().enumerate() {
        feuille.set_column_width(j as u16, largeur)?;
    }
    Ok(())
}

fn feuille_donnees(
    classeur: &mut Workbook,
    f: &Formats,
    nom: &str,
    tableau: &Tableau,
    reglages: &Reglages,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let feuille = classeur.add_worksheet();
    feuille.set_name(nom)?;
    feuille.write_string_with_format(
        0,
        0,
        format!(
            "{} — {}",
            tableau.titre,
            reglages.conseil.periode.libelle_long()
        ),
        &f.titre,
    )?;
    let fin = ecrire_tableau(feuille, f, 2, tableau)?;
    tableau_natif(feuille, f, 2, fin, tableau)?;
    largeurs(feuille, tableau, 12.0)?;
    feuille.set_freeze_panes(3, 2)?;
    mise_en_page(feuille, reglages)?;
    Ok(())
}

/// The rows `entete..fin` (header included) made a native Excel table:
/// autofilter and banded rows, sortable by the reader.
fn tableau_natif(
    feuille: &mut Worksheet,
    f: &Formats,
    entete: u32,
    fin: u32,
    tableau: &Tableau,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut vus = std::collections::HashSet::new();
    // Excel wants a data row and distinct headers; otherwise a plain range.
    if tableau.lignes.is_empty() || !tableau.entetes.iter().all(|e| vus.insert(e.as_str())) {
        return Ok(());
    }
    let colonnes: Vec<TableColumn> = tableau
        .entetes
        .iter()
        .map(|e| {
            TableColumn::new()
                .set_header(e)
                .set_header_format(&f.entete)
        })
        .collect();
    let table = Table::new()
        .set_columns(&colonnes)
        .set_style(TableStyle::Light1)
        .set_banded_rows(true);
    feuille.add_table(
        entete,
        0,
        fin - 1,
        (tableau.entetes.len() - 1) as u16,
        &table,
    )?;
    Ok(())
}

/// A bar chart of job seekers by QPV, beside the table (rows 4 on, names
/// in column B, counts in column D; masked counts are text and left out).
fn graphique_par_qpv(
    feuille: &mut Worksheet,
    tableau: &Tableau,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    if tableau.lignes.is_empty() {
        return Ok(());
    }
    let (premiere, derniere) = (3, 2 + tableau.lignes.len() as u32);
    let mut graphique = Chart::new(ChartType::Bar);
    graphique
        .add_series()
        .set_categories(("Par QPV", premiere, 1, derniere, 1))
        .set_values(("Par QPV", premiere, 3, derniere, 3))
        .set_name("Demandeurs d'emploi ABC");
    let titre = "Demandeurs d'emploi ABC par QPV";
    graphique.title().set_name(titre);
    graphique.set_alt_text(super::description_des_barres(
        titre,
        super::barres_par_qpv(tableau).into_iter(),
        Some(super::ALT_EXCEL),
    ));
    graphique.legend().set_hidden();
    graphique
        .set_width(640)
        .set_height(20 * tableau.lignes.len() as u32 + 120);
    feuille.insert_chart(2, tableau.entetes.len() as u16 + 1, &graphique)?;
    Ok(())
}

/// The département's demand and its QPV demand over the quarters (line
/// chart; QPV on the secondary axis, an order of magnitude smaller), at
/// the top right of the summary sheet.
fn graphique_serie(
    feuille: &mut Worksheet,
    entete: u32,
    tableau: &Tableau,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    if tableau.lignes.len() < 2 {
        return Ok(());
    }
    let (premiere, derniere) = (entete + 1, entete + tableau.lignes.len() as u32);
    let mut graphique = Chart::new(ChartType::Line);
    for (colonne, secondaire) in [(1u16, false), (2, true)] {
        graphique
            .add_series()
            .set_categories(("Synthèse", premiere, 0, derniere, 0))
            .set_values(("Synthèse", premiere, colonne, derniere, colonne))
            .set_name(("Synthèse", entete, colonne))
            .set_secondary_axis(secondaire);
    }
    graphique
        .title()
        .set_name("Demande d'emploi : département et QPV");
    graphique.set_alt_text(super::description_de_la_serie(tableau, true));
    graphique.set_width(560).set_height(300);
    feuille.insert_chart(4, 7, &graphique)?;
    Ok(())
}

/// Evolution columns coloured as the deck reads them: a rise of demand in
/// red, a fall in green.
fn colorier_evolutions(
    feuille: &mut Worksheet,
    f: &Formats,
    premiere: u32,
    tableau: &Tableau,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    if tableau.lignes.is_empty() {
        return Ok(());
    }
    let derniere = premiere + tableau.lignes.len() as u32 - 1;
    for j in 0..tableau.entetes.len() {
        if tableau
            .lignes
            .iter()
            .any(|l| matches!(l.get(j), Some(Cellule::Evolution(_))))
        {
            let hausse = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::GreaterThan(0))
                .set_format(&f.hausse);
            let baisse = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::LessThan(0))
                .set_format(&f.baisse);
            feuille.add_conditional_format(premiere, j as u16, derniere, j as u16, &hausse)?;
            feuille.add_conditional_format(premiere, j as u16, derniere, j as u16, &baisse)?;
        }
    }
    Ok(())
}

/// A workbook whose properties say what it is about, dated from the
/// council (reproducible bytes).
fn nouveau_classeur(
    reglages: &Reglages,
    sujet: &str,
    version: Option<Rectification>,
) -> Resultat<Workbook> {
    let c = &reglages.conseil;
    let intitule = match version {
        Some(v) => format!("{} — {}", c.intitule(), v.libelle()),
        None => c.intitule(),
    };
    let jour = c.date_documents();
    let date = ExcelDateTime::from_ymd(jour.annee() as u16, jour.mois(), jour.jour())?;
    let mut classeur = Workbook::new();
    classeur.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Annexe statistique QPV — {sujet} — {}",
                c.periode.libelle_long()
            ))
            .set_subject(intitule)
            .set_author(&reglages.documents.service)
            .set_company(&reglages.documents.service)
            .set_creation_datetime(&date),
    );
    Ok(classeur)
}

/// Rows 1 to 3 of a first sheet: heading, council, subject; the
/// internal-use warning when the figures are unmasked, and on row 4 the
/// rectified version.
fn bloc_titre(
    feuille: &mut Worksheet,
    f: &Formats,
    reglages: &Reglages,
    (sujet, version): (&str, Option<Rectification>),
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let c = &reglages.conseil;
    feuille.write_string_with_format(0, 0, &reglages.documents.entete, &f.titre)?;
    if reglages.interne {
        feuille.write_string_with_format(0, 3, super::AVERTISSEMENT_INTERNE, &f.alerte)?;
    }
    feuille.write_string_with_format(1, 0, c.intitule(), &f.sous_titre)?;
    feuille.write_string(
        2,
        0,
        format!(
            "Annexe statistique — {sujet} — {}",
            c.periode.libelle_long()
        ),
    )?;
    if let Some(v) = version {
        let texte = format!("{} : elle remplace la version précédente.", v.libelle());
        feuille.write_string_with_format(3, 0, texte, &f.alerte)?;
    }
    Ok(())
}

/// A sheet of several titled tables, one under the other, then the source.
fn feuille_sections(
    classeur: &mut Workbook,
    f: &Formats,
    nom: &str,
    tableaux: &[&Tableau],
    source: &str,
    reglages: &Reglages,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let feuille = classeur.add_worksheet();
    feuille.set_name(nom)?;
    feuille.write_string_with_format(
        0,
        0,
        format!("{nom} — {}", reglages.conseil.nom_departement),
        &f.titre,
    )?;
    let mut ligne = 2;
    let mut largeurs_max: Vec<f64> = Vec::new();
    for t in tableaux {
        ligne = tableau_sous_titre(feuille, f, ligne, t)? + 2;
        for (j, l) in largeurs_colonnes(t, 12.0).into_iter().enumerate() {
            if j >= largeurs_max.len() {
                largeurs_max.push(l);
            } else {
                largeurs_max[j] = largeurs_max[j].max(l);
            }
        }
    }
    feuille.write_string_with_format(ligne, 0, source, &f.note)?;
    for (j, l) in largeurs_max.into_iter().enumerate() {
        feuille.set_column_width(j as u16, l)?;
    }
    mise_en_page(feuille, reglages)?;
    Ok(())
}

fn mise_en_page(
    feuille: &mut Worksheet,
    reglages: &Reglages,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    feuille.set_paper_size(9); // A4
    feuille.set_landscape();
    feuille.set_print_fit_to_pages(1, 0);
    feuille.set_header(format!(
        "&L{}&R{}",
        reglages.documents.entete,
        reglages.conseil.periode.libelle_long()
    ));
    feuille.set_footer("&LAnnexe statistique QPV&RPage &P / &N");
    Ok(())
}

/// One sheet per family the département has: missions locales, schemes,
/// structures, calendar, funding, the changes since the last quarter.
fn feuilles_des_familles(
    classeur: &mut Workbook,
    f: &Formats,
    contenu: &Contenu,
    reglages: &Reglages,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    if let Some(ml) = &contenu.missions_locales {
        feuille_sections(
            classeur,
            f,
            "Missions locales",
            &[&ml.tableau, &ml.par_structure],
            &ml.source,
            reglages,
        )?;
    }
    if let Some(d) = &contenu.dispositifs {
        feuille_sections(
            classeur,
            f,
            "Dispositifs",
            &[&d.tableau],
            &d.source,
            reglages,
        )?;
    }
    if let Some(s) = &contenu.structures {
        feuille_sections(
            classeur,
            f,
            "Structures et labels",
            &[&s.decompte, &s.liste],
            &s.source,
            reglages,
        )?;
    }
    if let Some((calendrier, source)) = &contenu.calendrier {
        feuille_sections(classeur, f, "Calendrier", &[calendrier], source, reglages)?;
    }
    if let Some(fin) = &contenu.financements {
        // Numbers a reader can filter and sum; the sentences stay in the
        // PDF and the Synthèse.
        let mut tableaux = vec![&fin.donnees];
        tableaux.extend(fin.complements.as_ref());
        tableaux.extend([&fin.pres_des_qpv, &fin.dossiers]);
        feuille_sections(
            classeur,
            f,
            "Financements",
            &tableaux,
            &fin.source,
            reglages,
        )?;
    }

    if let Some([cles, revises]) = &contenu.depuis_le_precedent {
        feuille_sections(
            classeur,
            f,
            "Évolutions",
            &[cles, revises],
            "Source : l'annexe publiée du trimestre précédent (son indicateurs.csv) et cette annexe.",
            reglages,
        )?;
    }

    Ok(())
}

pub fn ecrire(contenu: &Contenu, reglages: &Reglages, chemin: &Path) -> Resultat<()> {
    let f = Formats::new();
    let c = &reglages.conseil;
    let mut classeur = nouveau_classeur(reglages, &c.nom_departement, contenu.version)?;

    // Summary, as the deck shows it.
    let feuille = classeur.add_worksheet();
    feuille.set_name("Synthèse")?;
    bloc_titre(feuille, &f, reglages, (&c.nom_departement, contenu.version))?;
    let mut ligne = tableau_sous_titre(feuille, &f, 4, &contenu.synthese)? + 1;
    ligne = tableau_sous_titre(feuille, &f, ligne, &contenu.profil)? + 1;
    let debut_serie = ligne + 1;
    ligne = tableau_sous_titre(feuille, &f, ligne, &contenu.serie)? + 1;
    graphique_serie(feuille, debut_serie, &contenu.serie)?;
    let mut listes = vec![("Messages clés", &contenu.messages)];
    if let Some(ml) = &contenu.missions_locales {
        listes.push(("Missions locales", &ml.messages));
    }
    if let Some(d) = &contenu.dispositifs {
        listes.push(("Dispositifs", &d.phrases));
    }
    if let Some(s) = &contenu.structures {
        listes.push(("Structures et labels", &s.phrases));
    }
    if let Some(fin) = &contenu.financements {
        for (programme, messages) in &fin.messages {
            let titre = if programme.is_empty() {
                fin.titre.as_str()
            } else {
                programme
            };
            listes.push((titre, messages));
        }
    }
    for (titre, messages) in listes {
        feuille.write_string_with_format(ligne, 0, titre, &f.sous_titre)?;
        for m in messages {
            ligne += 1;
            feuille.merge_range(ligne, 0, ligne, 5, &format!("• {m}"), &f.note)?;
            feuille.set_row_height(ligne, 30)?;
        }
        ligne += 2;
    }
    feuille.merge_range(ligne, 0, ligne, 5, &contenu.pied, &f.note)?;
    feuille.set_row_height(ligne, 45)?;
    feuille.set_column_width(0, 34)?;
    for j in 1..6 {
        feuille.set_column_width(j, 17)?;
    }
    mise_en_page(feuille, reglages)?;

    if let Some(q) = &contenu.quartiers {
        let nom = "Quartiers prioritaires";
        feuille_sections(
            &mut classeur,
            &f,
            nom,
            &[&q.decompte, &q.liste],
            &q.source,
            reglages,
        )?;
        let feuille = classeur.worksheet_from_name(nom)?;
        feuille.write_string_with_format(1, 0, &q.phrase, &f.sous_titre)?;
    }
    feuille_donnees(&mut classeur, &f, "Par QPV", &contenu.par_qpv, reglages)?;
    graphique_par_qpv(classeur.worksheet_from_name("Par QPV")?, &contenu.par_qpv)?;
    feuille_donnees(
        &mut classeur,
        &f,
        "Par commune",
        &contenu.par_commune,
        reglages,
    )?;
    if !contenu.intercommunalites.aucune() {
        feuille_donnees(
            &mut classeur,
            &f,
            contenu.intercommunalites.feuille(),
            &contenu.par_interco,
            reglages,
        )?;
    }
    feuilles_des_familles(&mut classeur, &f, contenu, reglages)?;

    // Notes and sources.
    let feuille = classeur.add_worksheet();
    feuille.set_name("Notes et sources")?;
    feuille.set_column_width(0, 120)?;
    feuille.write_string_with_format(0, 0, "Notes et sources", &f.titre)?;
    let mut ligne = 1;
    for (titre, lignes) in &contenu.notes {
        ligne += 1;
        feuille.write_string_with_format(ligne, 0, titre, &f.sous_titre)?;
        for l in lignes {
            ligne += 1;
            feuille.write_string_with_format(ligne, 0, l, &f.note)?;
        }
        ligne += 1;
    }
    mise_en_page(feuille, reglages)?;

    enregistrer(&mut classeur, chemin)
}

/// A commune's workbook: one sheet with the title block, its tables, notes
/// and sources.
pub fn ecrire_commune(
    contenu: &super::ContenuCommune,
    reglages: &Reglages,
    chemin: &Path,
) -> Resultat<()> {
    let f = Formats::new();
    let mut classeur = nouveau_classeur(reglages, &contenu.nom, contenu.version)?;
    let feuille = classeur.add_worksheet();
    feuille.set_name("Commune")?;
    bloc_titre(feuille, &f, reglages, (&contenu.nom, contenu.version))?;
    let mut ligne = 4;
    let mut largeurs_max: Vec<f64> = Vec::new();
    for t in &contenu.tableaux {
        ligne = tableau_sous_titre(feuille, &f, ligne, t)? + 1;
        for (j, l) in largeurs_colonnes(t, 13.0).into_iter().enumerate() {
            match largeurs_max.get_mut(j) {
                Some(m) => *m = m.max(l),
                None => largeurs_max.push(l),
            }
        }
    }
    for n in contenu.notes.iter().chain(&contenu.sources) {
        ligne += 1;
        feuille.write_string_with_format(ligne, 0, n, &f.note)?;
    }
    for (j, l) in largeurs_max.into_iter().enumerate() {
        feuille.set_column_width(j as u16, l)?;
    }
    mise_en_page(feuille, reglages)?;
    enregistrer(&mut classeur, chemin)
}

/// Writes the workbook in one go: rust_xlsxwriter writes its zip to an
/// unbuffered file in dozens of small writes, which a national run of a
/// thousand workbooks pays in system time. Compressed at zlib's fast level:
/// a third less time than the default for a fifth more bytes (a commune's
/// workbook: 8 → 10 KB; docs/performance.md).
fn enregistrer(classeur: &mut Workbook, chemin: &Path) -> Resultat<()> {
    classeur.set_zip_compression_level(1);
    let octets = classeur.save_to_buffer()?;
    std::fs::write(chemin, octets).map_err(Erreur::acces(chemin, "écriture"))
}
