//! A laid-out document to PDF bytes, with pdf-writer (typst's low-level
//! writer): pages of text, rules and filled rectangles, the two DejaVu
//! faces as embedded `Type0` fonts, the document information.
//!
//! The layout records what to draw as [`Trace`]s; the glyph ids are only
//! chosen here, once it is known which cut of the font the document embeds
//! (the run-wide one, or its own if it draws a rarer letter). Writing the
//! content streams directly made a national run's 909 PDFs about four times
//! cheaper than going through printpdf's document model
//! (docs/performance.md).

use pdf_writer::types::{CidFontType, FontFlags, TabOrder, TableHeaderScope};
use pdf_writer::writers::StructTreeRoot;
use pdf_writer::{
    Chunk, Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Settings, Str, TextStr, XRefFilter,
};

use super::balises::{Arbre, Role};
use super::flux::comprimer;
use super::police::{self, Coupe};

/// A colour as red, green, blue from 0 to 1.
pub(super) type Teinte = (f32, f32, f32);

/// One thing drawn on a page, in points from the bottom left corner, with
/// the structure element it belongs to (`marque`, an index into the
/// [`Arbre`]), none for an artifact.
pub(super) enum Trace {
    Texte {
        marque: Option<usize>,
        x: f32,
        y: f32,
        taille: f32,
        gras: bool,
        teinte: Teinte,
        texte: String,
    },
    /// An open polyline (a rule, a curve).
    Trait {
        marque: Option<usize>,
        points: Vec<(f32, f32)>,
        epaisseur: f32,
        teinte: Teinte,
    },
    /// A filled rectangle.
    Fond {
        marque: Option<usize>,
        x: f32,
        y: f32,
        largeur: f32,
        hauteur: f32,
        teinte: Teinte,
    },
}

/// The document information dictionary.
pub(super) struct Proprietes<'a> {
    pub(super) titre: &'a str,
    pub(super) auteur: &'a str,
    pub(super) sujet: &'a str,
    pub(super) createur: &'a str,
    /// Year, month, day: the council's date, so that a rerun gives the
    /// same bytes.
    pub(super) date: (i32, u8, u8),
}

const F1: Name<'static> = Name(b"F1");
const F2: Name<'static> = Name(b"F2");

/// The PDF of `pages` (A4, `largeur` × `hauteur` points), its text drawn
/// with `normale` and `grasse`, tagged after `arbre` (PDF/UA-1).
pub(super) fn octets(
    pages: &[Vec<Trace>],
    (largeur, hauteur): (f32, f32),
    [normale, grasse]: [&Coupe; 2],
    proprietes: &Proprietes<'_>,
    arbre: &Arbre,
) -> std::io::Result<Vec<u8>> {
    // The glyph ids drawn, per face: only their widths are written.
    let mut utilises = [
        vec![false; normale.largeurs.len()],
        vec![false; grasse.largeurs.len()],
    ];
    // Per page, the element of each marked-content sequence (by MCID).
    let mut marques: Vec<Vec<usize>> = Vec::new();
    let mut contenus: Vec<Vec<u8>> = Vec::new();
    for traces in pages {
        let (flux, m) = contenu(traces, [normale, grasse], &mut utilises, arbre);
        contenus.push(comprimer(&flux, flate2::Compression::fast())?);
        marques.push(m);
    }

    let mut suivant = 1;
    let mut reference = || {
        let r = Ref::new(suivant);
        suivant += 1;
        r
    };
    let (catalogue, informations, arbre_pages) = (reference(), reference(), reference());
    let (racine, metadonnees) = (reference(), reference());
    let polices = [
        (F1, normale, [(); 5].map(|_| reference())),
        (F2, grasse, [(); 5].map(|_| reference())),
    ];
    let feuilles: Vec<(Ref, Ref)> = pages.iter().map(|_| (reference(), reference())).collect();
    let elements: Vec<Ref> = arbre.elements.iter().map(|_| reference()).collect();
    let parents: Vec<Ref> = pages.iter().map(|_| reference()).collect();
    // The structure tree goes in one object stream; the cross-reference
    // stream, which must say so, is the last object.
    let (objets, xref) = (reference(), reference());

    let taille: usize = contenus.iter().map(Vec::len).sum::<usize>()
        + normale.programme.len()
        + grasse.programme.len()
        + 16 * 1024;
    // Compact objects: the structure tree adds one per table cell.
    let mut pdf = Pdf::with_settings_and_capacity(Settings { pretty: false }, taille);
    catalogue_balise(&mut pdf, catalogue, arbre_pages, (racine, metadonnees));
    informations_du_document(&mut pdf, informations, proprietes);
    metadonnees_xmp(&mut pdf, metadonnees, proprietes);
    pdf.pages(arbre_pages)
        .kids(feuilles.iter().map(|(page, _)| *page))
        .count(i32::try_from(feuilles.len()).unwrap_or(i32::MAX));
    for (i, ((page, flux), octets)) in feuilles.iter().zip(&contenus).enumerate() {
        let mut p = pdf.page(*page);
        p.parent(arbre_pages)
            .media_box(Rect::new(0.0, 0.0, largeur, hauteur))
            .contents(*flux)
            .struct_parents(i32::try_from(i).unwrap_or(i32::MAX))
            .tab_order(TabOrder::StructureOrder);
        let mut ressources = p.resources();
        let mut dict = ressources.fonts();
        for (nom, _, [type0, ..]) in &polices {
            dict.pair(*nom, *type0);
        }
        dict.finish();
        ressources.finish();
        p.finish();
        pdf.stream(*flux, octets).filter(Filter::FlateDecode);
    }
    for ((_, coupe, refs), utilises) in polices.iter().zip(&utilises) {
        police(&mut pdf, coupe, utilises, *refs);
    }
    let pages_refs: Vec<Ref> = feuilles.iter().map(|(page, _)| *page).collect();
    let debuts = flux_de_structure(
        &mut pdf,
        arbre,
        (racine, &elements, &parents, objets),
        (&pages_refs, &marques),
    )?;

    let (premier, second) = identifiant(&contenus, proprietes, [normale, grasse]);
    pdf.set_file_id((premier, second));
    finir(pdf, xref, objets, &debuts)
}

/// The structure tree written in the object stream `objets` of `pdf`; its
/// objects' refs and starts within the stream's chunk.
fn flux_de_structure(
    pdf: &mut Pdf,
    arbre: &Arbre,
    (racine, elements, parents, objets): (Ref, &[Ref], &[Ref], Ref),
    (pages, marques): (&[Ref], &[Vec<usize>]),
) -> std::io::Result<Vec<(Ref, usize)>> {
    let mut ecrit = Chunk::with_settings(Settings { pretty: false });
    let debuts = structure(
        &mut ecrit,
        arbre,
        (racine, elements, parents),
        (pages, marques),
    );
    let (donnees, premier) = flux_d_objets(&ecrit, &debuts)?;
    pdf.stream(
        objets,
        &comprimer(&donnees, flate2::Compression::default())?,
    )
    .filter(Filter::FlateDecode)
    .pair(Name(b"Type"), Name(b"ObjStm"))
    .pair(Name(b"N"), i32::try_from(debuts.len()).unwrap_or(i32::MAX))
    .pair(Name(b"First"), i32::try_from(premier).unwrap_or(i32::MAX));
    Ok(debuts)
}

/// The file: `pdf` with its compressed cross-reference stream `xref`,
/// which says where the objects of the object stream `objets` are.
fn finir(pdf: Pdf, xref: Ref, objets: Ref, debuts: &[(Ref, usize)]) -> std::io::Result<Vec<u8>> {
    let mut erreur = None;
    let fichier = pdf.finish_with_xref_stream_and_filter(xref, |entrees| {
        let entrees = entrees_comprimees(entrees, xref, objets, debuts);
        match comprimer(&entrees, flate2::Compression::default()) {
            Ok(c) => (c, XRefFilter::Single(Filter::FlateDecode)),
            Err(e) => {
                erreur = Some(e);
                (entrees, XRefFilter::Multiple(Vec::new()))
            }
        }
    });
    match erreur {
        Some(e) => Err(e),
        None => Ok(fichier),
    }
}

/// The objects of `chunk` (compact, written in the order of `debuts`,
/// each object's ref and start) as the data of an object stream (ISO
/// 32000-1, 7.5.7): the pairs "number offset", then the objects without
/// their `obj`/`endobj` frame; and the offset of the first object.
fn flux_d_objets(chunk: &Chunk, debuts: &[(Ref, usize)]) -> std::io::Result<(Vec<u8>, usize)> {
    const FIN: &[u8] = b"\nendobj\n";
    let octets = chunk.as_bytes();
    let mut corps: Vec<u8> = Vec::with_capacity(octets.len());
    let mut entete = String::new();
    for (k, (r, debut)) in debuts.iter().enumerate() {
        let fin = debuts.get(k + 1).map_or(octets.len(), |d| d.1);
        let cadre = format!("{} 0 obj\n", r.get());
        let objet = &octets[*debut..fin];
        let Some(interieur) = objet
            .strip_prefix(cadre.as_bytes())
            .and_then(|o| o.strip_suffix(FIN))
        else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("objet {} mal délimité dans l'arbre de structure", r.get()),
            ));
        };
        entete.push_str(&format!("{} {} ", r.get(), corps.len()));
        corps.extend_from_slice(interieur);
        corps.push(b'\n');
    }
    let mut donnees = entete.into_bytes();
    let premier = donnees.len();
    donnees.extend(corps);
    Ok((donnees, premier))
}

/// The cross-reference stream's entries (`[type, field of n bytes, 2
/// bytes]`, objects 0 to `xref`) with those of the object stream `objets`
/// made type 2 (its number, the index within it): pdf-writer wrote them
/// as free, not having written them itself.
fn entrees_comprimees(entrees: &[u8], xref: Ref, objets: Ref, debuts: &[(Ref, usize)]) -> Vec<u8> {
    let nombre = usize::try_from(xref.get()).unwrap_or(0) + 1;
    let taille = entrees.len() / nombre.max(1);
    let largeur = taille.saturating_sub(3);
    let mut e = entrees.to_vec();
    let ecrire = |e: &mut Vec<u8>, objet: usize, sorte: u8, champ: u64, index: u16| {
        let debut = objet * taille;
        if debut + taille > e.len() || largeur > 8 {
            return;
        }
        e[debut] = sorte;
        let octets = champ.to_be_bytes();
        e[debut + 1..debut + 1 + largeur].copy_from_slice(&octets[8 - largeur..]);
        e[debut + 1 + largeur..debut + taille].copy_from_slice(&index.to_be_bytes());
    };
    // The head of an empty list of free objects.
    ecrire(&mut e, 0, 0, 0, 65535);
    for (i, (r, _)) in debuts.iter().enumerate() {
        let objet = usize::try_from(r.get()).unwrap_or(0);
        let index = u16::try_from(i).unwrap_or(u16::MAX);
        ecrire(
            &mut e,
            objet,
            2,
            u64::from(objets.get().unsigned_abs()),
            index,
        );
    }
    e
}

/// The catalog of a tagged document: its pages, structure tree, XMP
/// metadata, language, the "marked" flag, and the title shown rather than
/// the file's name.
fn catalogue_balise(pdf: &mut Pdf, catalogue: Ref, pages: Ref, (racine, xmp): (Ref, Ref)) {
    let mut c = pdf.catalog(catalogue);
    c.pages(pages)
        .lang(TextStr(LANGUE))
        .metadata(xmp)
        .pair(Name(b"StructTreeRoot"), racine);
    c.mark_info().marked(true);
    c.viewer_preferences().display_doc_title(true);
}

/// The documents' language.
const LANGUE: &str = "fr-FR";

/// The structure tree: its root, each element (its type, parent, children
/// in reading order, the marked contents of a leaf, a figure's
/// alternative text, a header cell's scope), and the parent tree that
/// leads from each page's marked contents to their elements.
fn structure(
    pdf: &mut Chunk,
    arbre: &Arbre,
    (racine, elements, parents): (Ref, &[Ref], &[Ref]),
    (pages, marques): (&[Ref], &[Vec<usize>]),
) -> Vec<(Ref, usize)> {
    // Where each object starts, for the object stream.
    let mut debuts = vec![(racine, pdf.len())];
    let mut racine_ecrite = pdf.indirect(racine).start::<StructTreeRoot>();
    racine_ecrite.child(elements[0]);
    let mut arbre_parents = racine_ecrite.parent_tree();
    let mut nums = arbre_parents.nums();
    for (i, p) in parents.iter().enumerate() {
        nums.insert(i32::try_from(i).unwrap_or(i32::MAX), *p);
    }
    nums.finish();
    arbre_parents.finish();
    racine_ecrite.parent_tree_next_key(i32::try_from(parents.len()).unwrap_or(i32::MAX));
    racine_ecrite.finish();
    for (p, m) in parents.iter().zip(marques) {
        debuts.push((*p, pdf.len()));
        pdf.indirect(*p)
            .array()
            .items(m.iter().map(|&e| elements[e]));
    }
    // The marked contents of each element, in reading order.
    let mut contenus: Vec<Vec<(usize, i32)>> = vec![Vec::new(); elements.len()];
    for (page, m) in marques.iter().enumerate() {
        for (mcid, &e) in m.iter().enumerate() {
            contenus[e].push((page, i32::try_from(mcid).unwrap_or(i32::MAX)));
        }
    }
    for (id, e) in arbre.elements.iter().enumerate() {
        debuts.push((elements[id], pdf.len()));
        let mut s = pdf.struct_element(elements[id]);
        s.kind(e.role.pdf());
        s.parent(e.parent.map_or(racine, |p| elements[p]));
        if let Some(alt) = &e.alt {
            s.alt(TextStr(alt));
        }
        if e.role == Role::EnTete {
            s.attributes()
                .push()
                .table()
                .scope(TableHeaderScope::Column);
        }
        // The short forms where they apply: a single child element; the
        // contents of one page as bare MCIDs, the page said once.
        let une_page = contenus[id]
            .first()
            .filter(|(p, _)| contenus[id].iter().all(|(q, _)| q == p))
            .map(|(p, _)| *p);
        match (e.enfants.as_slice(), contenus[id].as_slice(), une_page) {
            ([c], [], _) => {
                s.child(elements[*c]);
            }
            ([], [(_, mcid)], Some(page)) => {
                s.page(pages[page]).pair(Name(b"K"), *mcid);
            }
            ([], _, Some(page)) => {
                s.page(pages[page]);
                let mut enfants = s.children();
                for &(_, mcid) in &contenus[id] {
                    enfants.marked_content_id(mcid);
                }
            }
            _ => {
                let mut enfants = s.children();
                for &c in &e.enfants {
                    enfants.struct_element(elements[c]);
                }
                for &(page, mcid) in &contenus[id] {
                    enfants
                        .marked_content_ref()
                        .page(pages[page])
                        .marked_content_id(mcid);
                }
            }
        }
    }
    debuts
}

/// The XMP packet: title, author, subject, language, dates, producer, and
/// the PDF/UA-1 identification. Left uncompressed, as readers expect it.
fn metadonnees_xmp(pdf: &mut Pdf, id: Ref, proprietes: &Proprietes<'_>) {
    let (annee, mois, jour) = proprietes.date;
    let date = xmp_writer::DateTime::date(u16::try_from(annee).unwrap_or(0), mois, jour);
    let mut x = xmp_writer::XmpWriter::new();
    x.title([(None, proprietes.titre)])
        .creator([proprietes.auteur])
        .description([(None, proprietes.sujet)])
        .language([xmp_writer::LangId(LANGUE)])
        .create_date(date)
        .modify_date(date)
        .creator_tool(proprietes.createur)
        .producer(proprietes.createur)
        .pdfua_part(1);
    let paquet = x.finish(None);
    pdf.metadata(id, paquet.as_bytes());
}

/// The Info dictionary: title, author, subject, dates (the council's).
fn informations_du_document(pdf: &mut Pdf, informations: Ref, proprietes: &Proprietes<'_>) {
    let (annee, mois, jour) = proprietes.date;
    let date = Date::new(u16::try_from(annee).unwrap_or(0))
        .month(mois)
        .day(jour)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    pdf.document_info(informations)
        .title(TextStr(proprietes.titre))
        .author(TextStr(proprietes.auteur))
        .subject(TextStr(proprietes.sujet))
        .creator(TextStr(proprietes.createur))
        .producer(TextStr(proprietes.createur))
        .creation_date(date)
        .modified_date(date);
}

/// The file identifier (ISO 32000-1, 14.4) from the content itself, so
/// that the same document gives the same bytes whatever the thread count:
/// the pages, the information and the fonts' names (a cut's name says
/// which characters it holds), not the fonts' programs, shared by every
/// document of a run.
fn identifiant(
    contenus: &[Vec<u8>],
    proprietes: &Proprietes<'_>,
    [normale, grasse]: [&Coupe; 2],
) -> (Vec<u8>, Vec<u8>) {
    use sha2::{Digest, Sha256};
    let (annee, mois, jour) = proprietes.date;
    let mut empreinte = Sha256::new();
    for octets in contenus {
        empreinte.update(octets);
    }
    for texte in [
        proprietes.titre,
        proprietes.auteur,
        proprietes.sujet,
        proprietes.createur,
        &normale.nom,
        &grasse.nom,
    ] {
        empreinte.update(texte.as_bytes());
        empreinte.update([0]);
    }
    empreinte.update(annee.to_be_bytes());
    empreinte.update([mois, jour]);
    let empreinte = empreinte.finalize();
    (empreinte[..16].to_vec(), empreinte[16..].to_vec())
}

/// One face as a `Type0` font: the font, its CID font, descriptor, program
/// and ToUnicode map, under `refs` in that order.
fn police(
    pdf: &mut Pdf,
    coupe: &Coupe,
    utilises: &[bool],
    [type0, cid, descripteur, programme, carte]: [Ref; 5],
) {
    let nom = Name(coupe.nom.as_bytes());
    pdf.type0_font(type0)
        .base_font(nom)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(carte);
    let mut c = pdf.cid_font(cid);
    c.subtype(CidFontType::Type2)
        .base_font(nom)
        .system_info(police::systeme())
        .font_descriptor(descripteur)
        .default_width(1000.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    // The widths of the glyphs the document draws, in runs of consecutive
    // ids: the cut holds ≈ 240, a page draws a third of them.
    let mut largeurs = c.widths();
    let mut suite: Vec<f32> = Vec::new();
    let mut debut = 0u16;
    for (id, largeur) in coupe.largeurs.iter().enumerate() {
        let id = u16::try_from(id).unwrap_or(u16::MAX);
        if utilises.get(usize::from(id)) == Some(&true) {
            if suite.is_empty() {
                debut = id;
            }
            suite.push(*largeur);
        } else if !suite.is_empty() {
            largeurs.consecutive(debut, suite.drain(..));
        }
    }
    if !suite.is_empty() {
        largeurs.consecutive(debut, suite.drain(..));
    }
    largeurs.finish();
    c.finish();
    let m = &coupe.metriques;
    let mut drapeaux = FontFlags::NON_SYMBOLIC;
    if m.italique != 0.0 {
        drapeaux |= FontFlags::ITALIC;
    }
    let [x1, y1, x2, y2] = m.cadre;
    pdf.font_descriptor(descripteur)
        .name(nom)
        .flags(drapeaux)
        .bbox(Rect::new(x1, y1, x2, y2))
        .italic_angle(m.italique)
        .ascent(m.ascendante)
        .descent(m.descendante)
        .cap_height(m.capitales)
        .stem_v(m.graisse)
        .font_file2(programme);
    pdf.stream(programme, &coupe.programme)
        .filter(Filter::FlateDecode)
        .pair(
            Name(b"Length1"),
            i32::try_from(coupe.longueur).unwrap_or(i32::MAX),
        );
    pdf.stream(carte, &coupe.to_unicode)
        .filter(Filter::FlateDecode);
}

/// Closes the marked-content sequence open (`fermer`) and opens the one
/// of `marque`: the element's, with the next MCID (its element added to
/// `marques`), or an artifact's.
fn marquer(
    c: &mut Content,
    (fermer, marque): (bool, Option<usize>),
    arbre: &Arbre,
    marques: &mut Vec<usize>,
) {
    if fermer {
        c.end_marked_content();
    }
    match marque {
        Some(e) => {
            let mcid = i32::try_from(marques.len()).unwrap_or(i32::MAX);
            c.begin_marked_content_with_properties(arbre.elements[e].role.pdf().to_name())
                .properties()
                .identify(mcid);
            marques.push(e);
        }
        None => {
            c.begin_marked_content(Name(b"Artifact"));
        }
    }
}

impl Trace {
    /// The structure element it belongs to, none for an artifact.
    fn marque(&self) -> Option<usize> {
        match self {
            Trace::Texte { marque, .. }
            | Trace::Trait { marque, .. }
            | Trace::Fond { marque, .. } => *marque,
        }
    }
}

/// A page's content stream, and the element of each of its marked-content
/// sequences (their MCIDs are their indices): consecutive traces of one
/// element make one sequence, artifacts are marked as such. The text state
/// (font, size) and the colours persist from one text object to the next
/// (ISO 32000-1, 9.3 and 8.4): they are only set when they change, which
/// halves a table's stream.
fn contenu(
    traces: &[Trace],
    [normale, grasse]: [&Coupe; 2],
    utilises: &mut [Vec<bool>; 2],
    arbre: &Arbre,
) -> (Vec<u8>, Vec<usize>) {
    let mut c = Content::new();
    let mut codes = Vec::new();
    let mut police_courante: Option<(bool, f32)> = None;
    let mut remplissage: Option<Teinte> = None;
    let mut marques: Vec<usize> = Vec::new();
    let mut sequence: Option<Option<usize>> = None;
    for trace in traces {
        let marque = trace.marque();
        if sequence != Some(marque) {
            marquer(&mut c, (sequence.is_some(), marque), arbre, &mut marques);
            sequence = Some(marque);
        }
        match trace {
            Trace::Texte {
                x,
                y,
                taille,
                gras,
                teinte,
                texte,
                ..
            } => {
                let (nom, coupe, vus) = if *gras {
                    (F2, grasse, &mut utilises[1])
                } else {
                    (F1, normale, &mut utilises[0])
                };
                codes.clear();
                for ch in texte.chars() {
                    let g = coupe.glyphe(ch);
                    if let Some(vu) = vus.get_mut(usize::from(g)) {
                        *vu = true;
                    }
                    codes.extend(g.to_be_bytes());
                }
                c.begin_text();
                if police_courante != Some((*gras, *taille)) {
                    c.set_font(nom, *taille);
                    police_courante = Some((*gras, *taille));
                }
                if remplissage != Some(*teinte) {
                    c.set_fill_rgb(teinte.0, teinte.1, teinte.2);
                    remplissage = Some(*teinte);
                }
                c.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y])
                    .show(Str(&codes))
                    .end_text();
            }
            Trace::Trait {
                points,
                epaisseur,
                teinte: (r, v, b),
                ..
            } => {
                let Some(((x0, y0), suite)) = points.split_first() else {
                    continue;
                };
                c.set_stroke_rgb(*r, *v, *b)
                    .set_line_width(*epaisseur)
                    .move_to(*x0, *y0);
                for (x, y) in suite {
                    c.line_to(*x, *y);
                }
                c.stroke();
            }
            Trace::Fond {
                x,
                y,
                largeur,
                hauteur,
                teinte,
                ..
            } => {
                if remplissage != Some(*teinte) {
                    c.set_fill_rgb(teinte.0, teinte.1, teinte.2);
                    remplissage = Some(*teinte);
                }
                c.rect(*x, *y, *largeur, *hauteur).fill_nonzero();
            }
        }
    }
    if sequence.is_some() {
        c.end_marked_content();
    }
    (c.finish().into_vec(), marques)
}

#[cfg(test)]
mod tests {
    use super::super::police::Police;
    use super::*;

    fn texte(gras: bool, taille: f32, teinte: Teinte, texte: &str) -> Trace {
        Trace::Texte {
            marque: Some(0),
            x: 10.0,
            y: 20.0,
            taille,
            gras,
            teinte,
            texte: texte.to_string(),
        }
    }

    /// The structure's objects become an object stream's data: pairs
    /// "number offset", then the bodies without their frame; the
    /// cross-reference entries of those objects are type 2.
    #[test]
    fn l_arbre_de_structure_va_dans_un_flux_d_objets() {
        let mut c = Chunk::with_settings(Settings { pretty: false });
        let debuts = vec![(Ref::new(3), 0), (Ref::new(4), 0)];
        let mut debuts = debuts;
        debuts[0].1 = c.len();
        c.indirect(Ref::new(3)).array().items([1, 2]);
        debuts[1].1 = c.len();
        c.indirect(Ref::new(4)).primitive(7);
        let (donnees, premier) = flux_d_objets(&c, &debuts).unwrap();
        let texte = String::from_utf8(donnees).unwrap();
        assert_eq!(&texte[..premier], "3 0 4 6 ");
        assert_eq!(&texte[premier..], "[1 2]\n7\n");
        // Objects 0 to 5 (the xref stream), 3 bytes per offset: 0 is the
        // free list's head, 3 and 4 in stream 2 at indices 0 and 1.
        let entrees = vec![0u8; 6 * 6];
        let e = entrees_comprimees(&entrees, Ref::new(5), Ref::new(2), &debuts);
        assert_eq!(&e[..6], [0, 0, 0, 0, 0xFF, 0xFF]);
        assert_eq!(&e[18..24], [2, 0, 0, 2, 0, 0]);
        assert_eq!(&e[24..30], [2, 0, 0, 2, 0, 1]);
    }

    #[test]
    fn police_et_couleur_ne_sont_redonnees_que_si_elles_changent() {
        let normale = Police::charger(false).unwrap();
        let grasse = Police::charger(true).unwrap();
        let (n, g) = (
            normale.face.coupe_pour(&[]).unwrap(),
            grasse.face.coupe_pour(&[]).unwrap(),
        );
        let noir = (0.1, 0.1, 0.1);
        let traces = [
            texte(false, 9.0, noir, "Ab"),
            texte(false, 9.0, noir, "cd"),
            Trace::Fond {
                marque: None,
                x: 0.0,
                y: 0.0,
                largeur: 5.0,
                hauteur: 5.0,
                teinte: noir,
            },
            texte(true, 9.0, (0.4, 0.4, 0.4), "E"),
            texte(false, 9.0, noir, "f"),
        ];
        let mut utilises = [vec![false; n.largeurs.len()], vec![false; g.largeurs.len()]];
        let (flux, marques) = contenu(&traces, [&n, &g], &mut utilises, &Arbre::new());
        let flux = String::from_utf8(flux).unwrap();
        let compte = |op: &str| flux.lines().filter(|l| l.ends_with(op)).count();
        // Two texts of the document, the ground (an artifact), then three
        // texts: two marked-content sequences of element 0.
        assert_eq!(marques, [0, 0]);
        assert_eq!(compte("BDC"), 2, "{flux}");
        assert_eq!(compte("/Artifact BMC"), 1, "{flux}");
        assert_eq!(compte("EMC"), 3, "{flux}");
        // F1, F2, F1 again; black, grey, black again.
        assert_eq!(compte(" Tf"), 3, "{flux}");
        assert_eq!(compte(" rg"), 3, "{flux}");
        assert_eq!(compte("BT"), 4, "{flux}");
        // The glyphs drawn are those whose widths the document lists.
        let dessines = |u: &[bool]| u.iter().filter(|v| **v).count();
        assert_eq!(dessines(&utilises[0]), 5);
        assert_eq!(dessines(&utilises[1]), 1);
        assert!(utilises[0][usize::from(n.glyphe('A'))]);
        assert!(!utilises[0][usize::from(n.glyphe('Z'))]);
    }
}
