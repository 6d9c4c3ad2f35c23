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

use pdf_writer::types::{CidFontType, FontFlags};
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::flux::comprimer;
use super::police::{self, Coupe};

/// A colour as red, green, blue from 0 to 1.
pub(super) type Teinte = (f32, f32, f32);

/// One thing drawn on a page, in points from the bottom left corner.
pub(super) enum Trace {
    Texte {
        x: f32,
        y: f32,
        taille: f32,
        gras: bool,
        teinte: Teinte,
        texte: String,
    },
    /// An open polyline (a rule, a curve).
    Trait {
        points: Vec<(f32, f32)>,
        epaisseur: f32,
        teinte: Teinte,
    },
    /// A filled rectangle.
    Fond {
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
/// with `normale` and `grasse`.
pub(super) fn octets(
    pages: &[Vec<Trace>],
    (largeur, hauteur): (f32, f32),
    [normale, grasse]: [&Coupe; 2],
    proprietes: &Proprietes<'_>,
) -> std::io::Result<Vec<u8>> {
    // The glyph ids drawn, per face: only their widths are written.
    let mut utilises = [
        vec![false; normale.largeurs.len()],
        vec![false; grasse.largeurs.len()],
    ];
    let contenus: Vec<Vec<u8>> = pages
        .iter()
        .map(|traces| {
            comprimer(
                &contenu(traces, [normale, grasse], &mut utilises),
                flate2::Compression::fast(),
            )
        })
        .collect::<std::io::Result<_>>()?;

    let mut suivant = 1;
    let mut reference = || {
        let r = Ref::new(suivant);
        suivant += 1;
        r
    };
    let (catalogue, informations, arbre) = (reference(), reference(), reference());
    let polices = [
        (F1, normale, [(); 5].map(|_| reference())),
        (F2, grasse, [(); 5].map(|_| reference())),
    ];
    let feuilles: Vec<(Ref, Ref)> = pages.iter().map(|_| (reference(), reference())).collect();

    let taille: usize = contenus.iter().map(Vec::len).sum::<usize>()
        + normale.programme.len()
        + grasse.programme.len()
        + 16 * 1024;
    let mut pdf = Pdf::with_capacity(taille);
    pdf.catalog(catalogue).pages(arbre);
    informations_du_document(&mut pdf, informations, proprietes);
    pdf.pages(arbre)
        .kids(feuilles.iter().map(|(page, _)| *page))
        .count(i32::try_from(feuilles.len()).unwrap_or(i32::MAX));
    for ((page, flux), octets) in feuilles.iter().zip(&contenus) {
        let mut p = pdf.page(*page);
        p.parent(arbre)
            .media_box(Rect::new(0.0, 0.0, largeur, hauteur))
            .contents(*flux);
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

    let (premier, second) = identifiant(&contenus, proprietes, [normale, grasse]);
    pdf.set_file_id((premier, second));
    Ok(pdf.finish())
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

/// A page's content stream. The text state (font, size) and the colours
/// persist from one text object to the next (ISO 32000-1, 9.3 and 8.4):
/// they are only set when they change, which halves a table's stream.
fn contenu(
    traces: &[Trace],
    [normale, grasse]: [&Coupe; 2],
    utilises: &mut [Vec<bool>; 2],
) -> Vec<u8> {
    let mut c = Content::new();
    let mut codes = Vec::new();
    let mut police_courante: Option<(bool, f32)> = None;
    let mut remplissage: Option<Teinte> = None;
    for trace in traces {
        match trace {
            Trace::Texte {
                x,
                y,
                taille,
                gras,
                teinte,
                texte,
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
            } => {
                if remplissage != Some(*teinte) {
                    c.set_fill_rgb(teinte.0, teinte.1, teinte.2);
                    remplissage = Some(*teinte);
                }
                c.rect(*x, *y, *largeur, *hauteur).fill_nonzero();
            }
        }
    }
    c.finish().into_vec()
}

#[cfg(test)]
mod tests {
    use super::super::police::Police;
    use super::*;

    fn texte(gras: bool, taille: f32, teinte: Teinte, texte: &str) -> Trace {
        Trace::Texte {
            x: 10.0,
            y: 20.0,
            taille,
            gras,
            teinte,
            texte: texte.to_string(),
        }
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
        let flux = String::from_utf8(contenu(&traces, [&n, &g], &mut utilises)).unwrap();
        let compte = |op: &str| flux.lines().filter(|l| l.ends_with(op)).count();
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
