//! The embedded DejaVu Sans: measuring and wrapping text from its glyph
//! advances, and the cuts of it that the PDFs embed.
//!
//! printpdf parses the font and cuts it to the glyphs wanted
//! ([`printpdf::subset_font`]); this module turns a cut into what a PDF
//! needs (glyph ids, widths, ToUnicode map, compressed program) once, so
//! that the hundreds of documents of a national run share it.

use std::collections::BTreeMap;

use printpdf::ParsedFont;

use crate::erreur::{Erreur, Resultat};

const POLICE: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const POLICE_GRASSE: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// The characters of the documents' fixed text, of French names (Latin-1,
/// Œ, œ, Ÿ) and of typography: the run-wide cut. Every glyph more weighs on
/// every document (about 120 bytes compressed per face), so rarer letters
/// take the slow path (a cut for the document alone).
fn dans_le_jeu(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{a0}'..='\u{ff}'
        | '\u{152}' | '\u{153}' | '\u{178}'
        | '\u{2010}'..='\u{2027}'
        | '\u{202f}'..='\u{203a}'
        | '\u{20ac}' | '\u{2122}'
        | '\u{2190}'..='\u{2193}'
        | '\u{2212}' | '\u{2248}' | '\u{2260}' | '\u{2264}' | '\u{2265}')
}

/// One DejaVu face: whole for measuring and cutting, and cut once to
/// [`dans_le_jeu`] for the documents that draw nothing else.
pub(super) struct Face {
    complete: ParsedFont,
    /// Advance of each character below [`DIRECT`], in font units: text is
    /// measured again and again while it is wrapped.
    avances: Vec<u16>,
    /// `None` if the cut failed: every document then cuts its own.
    courante: Option<Coupe>,
}

/// A face cut to some characters, as a PDF embeds it: a `Type0` font with
/// `Identity-H` codes, i.e. the cut's glyph ids.
#[derive(Clone)]
pub(super) struct Coupe {
    /// PostScript name with its subset tag (ISO 32000-1, 9.6.4).
    pub(super) nom: String,
    /// Glyph id in the cut of each character; 0 (`.notdef`) for others.
    glyphes: BTreeMap<char, u16>,
    /// Glyph id in the cut of the characters below [`DIRECT`], 0 if absent:
    /// the common case, without a tree walk per character.
    directs: Vec<u16>,
    /// Advance of each glyph id of the cut, in thousandths of an em (0 for
    /// ids no character maps to), for `/W`.
    pub(super) largeurs: Vec<f32>,
    /// The font program (`/FontFile2`), zlib-compressed, and its length.
    pub(super) programme: Vec<u8>,
    pub(super) longueur: usize,
    /// The ToUnicode CMap, zlib-compressed: what copy and search read.
    pub(super) to_unicode: Vec<u8>,
    pub(super) metriques: Metriques,
}

/// The font descriptor's figures, in thousandths of an em.
#[derive(Clone, Copy)]
pub(super) struct Metriques {
    pub(super) ascendante: f32,
    pub(super) descendante: f32,
    pub(super) capitales: f32,
    pub(super) cadre: [f32; 4],
    pub(super) italique: f32,
    pub(super) graisse: f32,
}

/// Characters looked up in a table rather than a tree: every character of
/// the run-wide cut is below.
const DIRECT: usize = 0x2300;

impl Coupe {
    /// `face` cut to `caracteres`, tagged `etiquette` (six capitals).
    fn new(face: &ParsedFont, caracteres: &[char], etiquette: &str) -> Option<Coupe> {
        // Original glyph id → the character it draws (the first one, when
        // the face draws several characters with one glyph).
        let mut voulus: BTreeMap<u16, String> = BTreeMap::new();
        for &c in caracteres {
            if let Some(g) = face.lookup_glyph_index(c as u32) {
                voulus.entry(g).or_insert_with(|| c.to_string());
            }
        }
        let coupe = printpdf::subset_font(face, &voulus).ok()?;
        let mut glyphes = BTreeMap::new();
        let mut directs = vec![0u16; DIRECT];
        for &c in caracteres {
            let Some(&(g, _)) = face
                .lookup_glyph_index(c as u32)
                .and_then(|g| coupe.glyph_mapping.get(&g))
            else {
                continue;
            };
            glyphes.insert(c, g);
            if let Some(d) = directs.get_mut(c as usize) {
                *d = g;
            }
        }
        let unites = f32::from(face.pdf_font_metrics.units_per_em.max(1));
        let millieme = |v: f32| (v * 1000.0 / unites).round();
        // New id → (width, text) in id order, for /W runs and ToUnicode.
        let par_id: BTreeMap<u16, (f32, char)> = coupe
            .glyph_mapping
            .iter()
            .filter_map(|(ancien, (nouveau, texte))| {
                let c = texte.chars().next()?;
                let avance = f32::from(face.get_horizontal_advance(*ancien));
                Some((*nouveau, (millieme(avance), c)))
            })
            .collect();
        let mut largeurs = vec![0.0; par_id.keys().max().map_or(1, |m| usize::from(*m) + 1)];
        // Glyph 0 (.notdef) stands for a character the face lacks.
        largeurs[0] = millieme(f32::from(face.get_horizontal_advance(0)));
        for (&id, &(largeur, _)) in &par_id {
            largeurs[usize::from(id)] = largeur;
        }
        let mut carte =
            pdf_writer::types::UnicodeCmap::new(pdf_writer::Name(b"Adobe-Identity-UCS"), systeme());
        for (&id, &(_, c)) in &par_id {
            carte.pair(id, c);
        }
        let to_unicode =
            super::flux::comprimer(&carte.finish(), flate2::Compression::best()).ok()?;
        let m = &face.pdf_font_metrics;
        let metriques = Metriques {
            ascendante: millieme(f32::from(m.ascender)),
            descendante: millieme(f32::from(m.descender)),
            capitales: millieme(
                face.font_metrics
                    .cap_height
                    .unwrap_or(f32::from(m.ascender)),
            ),
            cadre: [m.x_min, m.y_min, m.x_max, m.y_max].map(|v| millieme(f32::from(v))),
            // DejaVu Sans is upright: hhea's caret slope says so.
            italique: if m.caret_slope_run == 0 || m.caret_slope_rise == 0 {
                0.0
            } else {
                -(f32::from(m.caret_slope_run))
                    .atan2(f32::from(m.caret_slope_rise))
                    .to_degrees()
                    .round()
            },
            // No table carries the stem width: the usual estimate from
            // the OS/2 weight class (≈ 88 regular, ≈ 166 bold).
            graisse: if m.us_weight_class == 0 {
                80.0
            } else {
                (50.0 + (f32::from(m.us_weight_class) / 65.0).powi(2)).round()
            },
        };
        Some(Coupe {
            nom: format!("{etiquette}+{}", face.font_name.clone()?),
            glyphes,
            directs,
            largeurs,
            programme: super::flux::comprimer(&coupe.bytes, flate2::Compression::best()).ok()?,
            longueur: coupe.bytes.len(),
            to_unicode,
            metriques,
        })
    }

    /// The glyph id of `c` in this cut (0, `.notdef`, if not in it).
    pub(super) fn glyphe(&self, c: char) -> u16 {
        match self.directs.get(c as usize) {
            Some(&g) => g,
            None => self.glyphes.get(&c).copied().unwrap_or(0),
        }
    }
}

/// `Adobe-Identity-0`: the character collection of `Identity-H` fonts.
pub(super) fn systeme() -> pdf_writer::types::SystemInfo<'static> {
    pdf_writer::types::SystemInfo {
        registry: pdf_writer::Str(b"Adobe"),
        ordering: pdf_writer::Str(b"Identity"),
        supplement: 0,
    }
}

impl Face {
    fn new(octets: &[u8]) -> Option<Face> {
        let complete = ParsedFont::from_bytes(octets, 0, &mut Vec::new())?;
        let jeu: Vec<char> = ('\u{20}'..='\u{2265}')
            .filter(|c| dans_le_jeu(*c))
            .collect();
        let courante = Coupe::new(&complete, &jeu, "QPVANX");
        let avances = (0..DIRECT as u32)
            .map(|c| Face::avance_dans(&complete, c))
            .collect();
        Some(Face {
            complete,
            avances,
            courante,
        })
    }

    /// The advance of code point `c` in `police` (that of `.notdef` if it
    /// has no glyph), in font units.
    fn avance_dans(police: &ParsedFont, c: u32) -> u16 {
        police.get_horizontal_advance(police.lookup_glyph_index(c).unwrap_or(0))
    }

    fn avance(&self, c: char) -> u32 {
        u32::from(match self.avances.get(c as usize) {
            Some(&a) => a,
            None => Face::avance_dans(&self.complete, c as u32),
        })
    }

    /// The run-wide cut, if every character of `caracteres` is in it;
    /// otherwise a cut for these characters alone, tagged from them so
    /// that two different cuts never share a name.
    pub(super) fn coupe_pour(&self, caracteres: &[char]) -> Resultat<std::borrow::Cow<'_, Coupe>> {
        if let Some(c) = &self.courante {
            if caracteres.iter().all(|c| dans_le_jeu(*c)) {
                return Ok(std::borrow::Cow::Borrowed(c));
            }
        }
        use sha2::{Digest, Sha256};
        let empreinte = Sha256::digest(caracteres.iter().collect::<String>().as_bytes());
        let etiquette: String = empreinte[..6]
            .iter()
            .map(|o| char::from(b'A' + o % 26))
            .collect();
        Coupe::new(&self.complete, caracteres, &etiquette)
            .map(std::borrow::Cow::Owned)
            .ok_or_else(|| Erreur::Interne {
                contexte: "police du PDF",
                message: "découpe de la police impossible".to_string(),
            })
    }
}

/// A face as the layout uses it: measures and wraps text; its
/// [`Face::coupe_pour`] gives the cut a document embeds.
pub(super) struct Police {
    pub(super) face: &'static Face,
}

/// The fonts, read and cut once for the whole run: a national run writes
/// hundreds of PDFs.
static POLICES: std::sync::OnceLock<Option<(Face, Face)>> = std::sync::OnceLock::new();

impl Police {
    /// The regular (`grasse` false) or bold face.
    pub(super) fn charger(grasse: bool) -> Resultat<Police> {
        let polices = POLICES.get_or_init(|| Some((Face::new(POLICE)?, Face::new(POLICE_GRASSE)?)));
        let (normale, grasse_) = polices.as_ref().ok_or_else(|| Erreur::Interne {
            contexte: "police du PDF",
            message: "police DejaVu illisible".to_string(),
        })?;
        Ok(Police {
            face: if grasse { grasse_ } else { normale },
        })
    }

    /// Width of `texte` at `taille` points, from the glyph advances.
    pub(super) fn largeur(&self, texte: &str, taille: f32) -> f32 {
        let em = f32::from(self.face.complete.font_metrics.units_per_em.max(1));
        let unites: u32 = texte.chars().map(|c| self.face.avance(c)).sum();
        unites as f32 / em * taille
    }

    /// The largest size, from `taille` down to `minimum`, at which every
    /// word of `texte` (or each part of it after a hyphen) fits in
    /// `largeur` points: a table's column shrinks its text rather than
    /// cut a word ("Localisati/on").
    pub(super) fn taille_sans_couper(
        &self,
        texte: &str,
        taille: f32,
        largeur: f32,
        minimum: f32,
    ) -> f32 {
        let plus_large = texte
            .split([' ', '\n'])
            .flat_map(|mot| mot.split_inclusive('-'))
            .map(|morceau| self.largeur(morceau, 1.0))
            .fold(0.0f32, f32::max);
        if plus_large * taille <= largeur {
            return taille;
        }
        // Quarter points, so that the same text always gets the same size.
        let juste = (largeur / plus_large * 4.0).floor() / 4.0;
        juste.clamp(minimum, taille)
    }

    /// Lines of at most `largeur` points, broken between words; a word
    /// longer than the line is broken where it must.
    pub(super) fn couper(&self, texte: &str, taille: f32, largeur: f32) -> Vec<String> {
        let mut lignes = Vec::new();
        for paragraphe in texte.split('\n') {
            let mut courante = String::new();
            for mot in paragraphe.split(' ') {
                // A word too wide for a line is broken after its hyphens
                // ("Asnières-/sur-/Seine") before anywhere else.
                let morceaux: Vec<&str> = if self.largeur(mot, taille) <= largeur {
                    vec![mot]
                } else {
                    mot.split_inclusive('-').collect()
                };
                for (k, morceau) in morceaux.iter().enumerate() {
                    let separateur = if courante.is_empty() || k > 0 {
                        ""
                    } else {
                        " "
                    };
                    let essai = format!("{courante}{separateur}{morceau}");
                    if self.largeur(&essai, taille) <= largeur {
                        courante = essai;
                        continue;
                    }
                    if !courante.is_empty() {
                        lignes.push(std::mem::take(&mut courante));
                    }
                    // Still too wide alone: cut by characters.
                    for c in morceau.chars() {
                        if !courante.is_empty()
                            && self.largeur(&format!("{courante}{c}"), taille) > largeur
                        {
                            lignes.push(std::mem::take(&mut courante));
                        }
                        courante.push(c);
                    }
                }
            }
            lignes.push(courante);
        }
        lignes
    }
}
