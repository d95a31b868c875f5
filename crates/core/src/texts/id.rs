//! Bahasa Indonesia (the default).

use super::{ClientState, Msg, Unchecked, Undeletable};
use crate::command::{Arg, Problem};
use crate::{ChatPolicy, ConsentLevel, Lang, Reason, Role};

pub fn text(msg: &Msg<'_>) -> String {
    match msg {
        Msg::Start => "Halo! Saya photo-guard. Saya memeriksa setiap foto yang dibagikan di obrolan tim ini terhadap persetujuan klien yang tercatat, menyamarkan wajah atau menahan foto untuk ditinjau bila perlu. /help menampilkan apa yang bisa Anda lakukan, /rules menampilkan aturannya.".into(),
        Msg::Help { role, private } => super::help(Lang::Id, *role, *private),
        Msg::HelpLine { command } => help_line(command),
        Msg::HelpSection { role } => help_section(*role),
        Msg::MenuEntry { command } => menu_entry(command),
        Msg::Rules => "📋 Aturan foto klien:\n1. Persetujuan dulu: bagikan foto klien hanya dengan persetujuan yang tercatat (dari wali untuk anak).\n2. Tandai klien yang tampak dengan kodenya, mis. #KLN0042. Jangan pernah menulis nama.\n3. Wajah disamarkan kecuali persetujuan mengizinkan lebih; foto klien yang menolak ditahan.\n4. Simpan foto di dalam tim ini; jangan teruskan ke tempat lain.\n5. Melihat pelanggaran? Balas pesannya dengan /report.".into(),
        Msg::Reminder => "🔒 Pengingat: bagikan foto klien hanya dengan persetujuan, tandai #KODE, jangan teruskan ke luar tim.".into(),
        Msg::Welcome { name } => format!("Selamat datang, {name}! Obrolan ini dijaga oleh photo-guard.\n\n{}", text(&Msg::Rules)),
        Msg::BlurredCaption { sender, caption } => match caption {
            Some(c) => format!("📷 Dari {sender} (wajah disamarkan)\n{c}"),
            None => format!("📷 Dari {sender} (wajah disamarkan)"),
        },
        Msg::BlockedForSender { reason } => format!("Foto atau video Anda dihapus dari obrolan dan ditahan untuk ditinjau admin. Alasan: {}", reason_text(reason)),
        Msg::BlockedInChat { sender } => format!("🚫 Sebuah foto atau video dari {sender} ditahan untuk ditinjau (persetujuan klien)."),
        Msg::UncheckedInChat { sender } => format!("🚫 Sebuah foto atau video dari {sender} tidak dapat diperiksa dan dihapus. Silakan kirim ulang nanti."),
        Msg::Reason(reason) => reason_text(reason),
        Msg::AdminAlert { chat, sender, reason, item } => format!("🛡 Foto/video #{item} dari {sender} di \"{chat}\" diblokir.\nAlasan: {}\nPilih tindakan:", reason_text(reason)),
        Msg::PendingItem { item, chat, sender, reason_code } => format!("🛡 Foto/video #{item} dari {sender} di obrolan {chat}, ditahan ({reason_code})."),
        Msg::ReplyCommands { item, actions } => format!("Balas dengan salah satu perintah ini:\n{}", super::reply_commands(*item, actions)),
        Msg::ButtonView => "👁 Lihat".into(),
        Msg::ButtonReleaseBlurred => "Rilis tersamar".into(),
        Msg::ButtonReleaseOriginal => "Rilis asli".into(),
        Msg::ButtonDiscard => "🗑 Buang".into(),
        Msg::ReviewEmpty => "Tidak ada foto terblokir yang menunggu tinjauan.".into(),
        Msg::ReviewDone { what } => format!("Selesai: {what}."),
        Msg::ReviewFinished { action } => text(&Msg::ReviewDone {
            what: match action {
                crate::ReviewAction::View => "view",
                crate::ReviewAction::ReleaseBlurred => "released_blurred",
                crate::ReviewAction::ReleaseOriginal => "released_original",
                crate::ReviewAction::Discard => "dibuang",
            },
        }),
        Msg::ReviewStale => "Foto ini sudah ditangani atau tidak ada lagi.".into(),
        Msg::ReviewOriginalNotAllowed => "Foto asli tidak dapat dirilis: persetujuan klien yang ditandai tidak mengizinkannya saat ini.".into(),
        Msg::ReviewReleaseFailed => "Foto ini tidak dapat disiapkan untuk dirilis, jadi tidak ada yang dikirim; foto masih menunggu ditinjau. Coba lagi, atau buang.".into(),
        Msg::ReleasedBy { sender, caption } => match caption {
            Some(c) => format!("📷 Dari {sender} (dirilis setelah ditinjau)\n{c}"),
            None => format!("📷 Dari {sender} (dirilis setelah ditinjau)"),
        },
        Msg::NotAllowed { needed } => format!("Hanya {} photo-guard yang dapat melakukan itu.", role_name(*needed)),
        Msg::PrivateOnly => "Gunakan perintah ini di obrolan pribadi dengan saya.".into(),
        Msg::GroupOnly => "Gunakan perintah ini di grup yang dimaksud.".into(),
        Msg::NoDeleteRights => "⚠️ Saya tidak dapat menghapus pesan di sini, jadi saya tidak dapat melindungi foto klien. Admin grup harus menjadikan saya admin dengan hak menghapus pesan.".into(),
        Msg::NoDeleteRightsAdmin { chat } => format!("⚠️ Saya tidak punya hak menghapus pesan di \"{chat}\": foto di sana TIDAK ditegakkan. Jadikan saya admin dengan \"Hapus pesan\"."),
        Msg::NowGuarding => "✅ Saya sekarang admin dengan hak menghapus pesan: foto di obrolan ini dijaga.".into(),
        Msg::NowGuardingAdmin { chat } => format!("✅ Saya sekarang menjaga \"{chat}\": saya admin di sana dengan \"Hapus pesan\"."),
        Msg::TooLargeInChat { sender, limit_mb } => format!("🚫 Sebuah berkas dari {sender} dihapus: ukurannya lebih dari {limit_mb} MB, terlalu besar untuk saya periksa. Silakan bagikan salinan yang lebih kecil."),
        Msg::UncheckedAdmin { chat, sender, why } => format!("⚠️ Sebuah berkas dari {sender} di \"{chat}\" tidak dapat diperiksa dan dihapus: {}. Berkas itu tidak disimpan; minta pengirim membagikannya lagi bila diperlukan.", unchecked_text(*why)),
        Msg::UndeletableAdmin { chat, sender, link, message, why } => format!("⚠️ Sebuah foto dari {sender} di \"{chat}\" seharusnya dihapus tetapi tidak dapat: {}. Hapus secara manual: {}", undeletable_text(*why), link.map(str::to_owned).unwrap_or_else(|| format!("pesan #{message} (grup biasa tidak punya tautan)"))),
        Msg::DetectorDegraded => "⚠️ Model CenterFace tidak ada: saya mendeteksi wajah hanya dengan rustface, yang melewatkan banyak wajah kecil dan menyamping. Jalankan scripts/fetch-model lalu mulai ulang.".into(),
        Msg::ReportNeedsReply => "Balas pesan yang ingin Anda laporkan dengan /report.".into(),
        Msg::ReportThanks => "Terima kasih. Admin sudah diberi tahu.".into(),
        Msg::ReportAdmin { chat, reporter, link, message } => match link {
            Some(link) => format!("⚠️ {reporter} melaporkan sebuah pesan di \"{chat}\": {link}"),
            None => format!("⚠️ {reporter} melaporkan sebuah pesan di \"{chat}\": pesan {message}"),
        },
        Msg::Unnamed => "?".into(),
        Msg::Usage { command } => usage(command),
        Msg::CommandProblem { problem, command } => format!("Tidak dipahami: {}. {}", problem_text(problem), usage(command)),
        Msg::UntilInPast { until } => format!("Tidak dicatat: until={until} sudah lewat."),
        Msg::ConsentRecorded { code, level, until } => format!("Tercatat: persetujuan {code} {}{}.", level_name(*level), until.map(|u| format!(" sampai {u}")).unwrap_or_default()),
        Msg::Withdrawn { code } => format!("Tercatat: persetujuan {code} dicabut. Foto bertanda {code} akan diblokir."),
        Msg::UnknownClient { code } => format!("Tidak ada klien terdaftar dengan kode {code}."),
        Msg::ClientHistory { code, state, lines } => {
            let mut out = format!("{code}: {}\n", state_name(*state));
            for l in lines.iter() {
                out.push_str(&format!("• {}: {}\n", l.when, l.what));
            }
            out
        }
        Msg::ClientList { rows: [] } => "Belum ada klien terdaftar.".into(),
        Msg::ClientList { rows } => rows.iter().map(|(c, s)| format!("{c}: {}", state_name(*s))).collect::<Vec<_>>().join("\n"),
        Msg::Granted { user, role } => format!("Pengguna {user} sekarang {}.", role_name(*role)),
        Msg::Ungranted { user } => format!("Pengguna {user} tidak lagi punya peran."),
        Msg::UngrantNothing { user } => format!("Pengguna {user} tidak punya peran."),
        Msg::UngrantConfigAdmin { user } => format!("Pengguna {user} adalah admin dari konfigurasi (ADMIN_USER_IDS) dan tidak dapat dihapus di sini."),
        Msg::PolicyShown { policy } => format!("Kebijakan obrolan ini: {}", policy_line(policy)),
        Msg::PolicySet { policy } => format!("Kebijakan disimpan: {}", policy_line(policy)),
        Msg::AuditCaption { days } => format!("Log audit, {days} hari terakhir."),
        Msg::StatsHeader => "obrolan: diperiksa / diizinkan / disamarkan / diblokir".into(),
        Msg::Stats { rows } => super::stats_table(crate::Lang::Id, rows),
        Msg::StatsEmpty => "Belum ada foto yang diperiksa.".into(),
        Msg::TakedownDone { code, removed, replaced, by_hand } => {
            let mut out = format!("Foto lama {code}: {removed} dihapus dari grup, {replaced} diganti salinan buram.");
            if !by_hand.is_empty() {
                out.push_str(&format!("\n{} tidak dapat saya hapus (lebih dari 48 jam, atau ditolak). Minta admin grup menghapusnya secara manual:", by_hand.len()));
                for link in by_hand.iter() {
                    out.push_str(&format!("\n• {link}"));
                }
            }
            out
        }
        Msg::ByHandPlace { chat, at } => format!("foto tanggal {at} di grup «{chat}»"),
        Msg::Digest { expiring, expired } => {
            let mut out = String::from("📅 Ringkasan persetujuan");
            if expiring.is_empty() {
                out.push_str("\nTidak ada persetujuan yang berakhir dalam 14 hari.");
            } else {
                out.push_str("\nBerakhir dalam 14 hari:");
                super::digest_lines(&mut out, expiring, "perpanjang dengan");
            }
            if !expired.is_empty() {
                out.push_str("\n\nBerakhir sejak ringkasan terakhir (foto dengan kode ini kini diblokir):");
                super::digest_lines(&mut out, expired, "perpanjang dengan");
            }
            out
        }
        Msg::StatsChart { chats, from, to } => format!("Per grup dan minggu, {from} s.d. {to} (minggu mulai Senin, terlama di kiri): hijau diizinkan, kuning diburamkan, merah diblokir. Panel dari atas ke bawah: {}.", super::chat_list(chats)),
        Msg::SubjectCaption { code, due } => format!("Semua data yang disimpan photo-guard tentang {code}: catatan persetujuan, setiap foto (grup, waktu, keputusan), foto karantina (tanpa fotonya) dan entri audit yang menyebut kode ini. Klien lain tidak disertakan. Jawaban kepada klien wajib diberikan paling lambat {due} (3×24 jam)."),
        Msg::Erased { code, erased } => format!("Dihapus untuk {code}: {} foto karantina, {} rujukan berkas, {} salinan yang belum dikirim. Disimpan sebagai bukti: catatan persetujuan, daftar foto yang diperiksa dan log audit.", erased.quarantined, erased.files, erased.copies),
        Msg::BreachAdmin { id, due, what } => format!("⚠️ Insiden kebocoran data #{id}: {what}\nPemberitahuan wajib dikirim paling lambat {due} (3×24 jam). /breach {id} menyusun drafnya."),
        Msg::BreachReminder { id, due, hours_left } => format!("⏰ Insiden #{id}: sisa {hours_left} jam untuk mengirim pemberitahuan kebocoran (batas {due}). /breach {id} menyusun drafnya."),
        Msg::BreachNotice { draft } => format!("PEMBERITAHUAN KEGAGALAN PELINDUNGAN DATA PRIBADI (draf, insiden #{})\n\nData yang terungkap: {}\nWaktu: {} (diketahui {})\nKlien terkait (kode): {}\nTindakan yang dilakukan: {}\nYang dapat dilakukan klien: menghubungi lembaga untuk menanyakan data yang disimpan serta meminta perbaikan atau penghapusan.\n\nLengkapi, tandatangani dan kirim kepada klien terkait (atau walinya) dan otoritas paling lambat {}.", draft.id, draft.what, draft.when, draft.opened, super::clients_or_none(&draft.clients, "belum disebutkan"), draft.done.join("; "), draft.due),
        Msg::UnknownIncident { id } => format!("Tidak ada insiden #{id}."),
        Msg::ReblurredCaption { tags } => format!("📷 Wajah diburamkan setelah perubahan persetujuan {tags}"),
        Msg::TryAgainLater => "Terjadi kesalahan di sisi saya; tidak ada yang diubah. Silakan coba lagi nanti.".into(),
        Msg::UngrantConfigAdminWhatsApp { user } => format!("Pengguna {user} adalah admin dari konfigurasi (WHATSAPP_ADMINS) dan tidak dapat dihapus di sini."),
        Msg::NotAWhatsAppNumber { given } => format!("\"{given}\" bukan nomor WhatsApp dalam format internasional (kode negara dulu, mis. 6281234567890)."),
        Msg::ViewBlurredOnWhatsApp { item } => format!("👁 Foto/video #{item}, disamarkan. WhatsApp tidak dapat melindungi foto asli dari diteruskan atau disimpan, jadi aslinya tidak dikirim. Untuk melihat aslinya TANPA perlindungan, kirim: /view {item} original"),
        Msg::ViewOriginalUnprotected { item } => format!("⚠️ Foto/video #{item} asli, TANPA perlindungan: jangan teruskan atau simpan. Hapus pesan ini setelah ditinjau."),
    }
}

fn unchecked_text(why: Unchecked) -> String {
    match why {
        Unchecked::TooLarge { limit_mb } => {
            format!("ukurannya lebih dari {limit_mb} MB, terlalu besar untuk diunduh")
        }
        Unchecked::Refused => "Telegram menolak memberikan berkasnya".into(),
        Unchecked::GaveUp { tries } => format!("unduhannya gagal {tries} kali"),
        Unchecked::NoFile => {
            "tidak ada berkas yang dapat diambil bot (cerita yang diteruskan, pratinjau berbayar)"
                .into()
        }
    }
}

fn undeletable_text(why: Undeletable) -> &'static str {
    match why {
        Undeletable::TooOld => "umurnya lebih dari 48 jam, dan Telegram hanya mengizinkan bot menghapus pesan yang lebih baru",
        Undeletable::NoRight => "saya tidak punya hak menghapus pesan di sana: jadikan saya admin dengan \"Hapus pesan\"",
        Undeletable::Unknown => "Telegram menolak menghapusnya",
    }
}

fn reason_text(reason: &Reason) -> String {
    match reason {
        Reason::ConsentRefused { client, .. } => {
            format!("klien {client} menolak memberi persetujuan")
        }
        Reason::ConsentWithdrawn { client, .. } => format!("klien {client} mencabut persetujuan"),
        Reason::ConsentExpired { client, .. } => {
            format!("persetujuan klien {client} sudah kedaluwarsa")
        }
        Reason::NoConsent { client } => {
            format!("klien {client} tidak punya persetujuan yang berlaku")
        }
        Reason::Unreadable { .. } => {
            "foto tidak dapat diperiksa (tidak terbaca, terlalu besar, atau detektor gagal)".into()
        }
        Reason::UntaggedFaces { faces } => {
            format!("{faces} wajah dan tidak ada klien yang ditandai")
        }
        Reason::PublicChat { .. } => "obrolan ini bersifat publik".into(),
        Reason::BlurredConsent { client } => {
            format!("klien {client} hanya mengizinkan foto dengan wajah disamarkan")
        }
        Reason::FullConsent { .. } => "semua klien yang ditandai memberi persetujuan penuh".into(),
        Reason::NoFaces => "tidak ada wajah".into(),
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Coordinator => "koordinator",
    }
}

fn level_name(level: ConsentLevel) -> &'static str {
    match level {
        ConsentLevel::Full => "penuh",
        ConsentLevel::Blurred => "tersamar (wajah disamarkan)",
        ConsentLevel::Refused => "menolak",
    }
}

fn state_name(state: ClientState) -> &'static str {
    match state {
        ClientState::InForce => "berlaku",
        ClientState::ExpiringSoon => "berlaku, kedaluwarsa dalam 30 hari",
        ClientState::Expired => "kedaluwarsa",
        ClientState::Withdrawn => "dicabut",
        ClientState::Refused => "menolak",
        ClientState::NotYet => "belum ada persetujuan yang berlaku",
    }
}

fn policy_line(p: &ChatPolicy) -> String {
    let remind = p
        .remind_days
        .map(|d| format!("{d}d"))
        .unwrap_or_else(|| "off".into());
    format!(
        "mode={} untagged={} kind={} lang={} remind={remind}",
        p.mode.as_str(),
        p.untagged.as_str(),
        p.kind.as_str(),
        p.lang.as_str()
    )
}

fn usage(command: &str) -> String {
    match command {
        "consent" => "Cara pakai: /consent KODE full|blurred|refused [until=YYYY-MM-DD] [by=client|guardian] [evidence=TEKS] [purpose=TEKS]".into(),
        "withdraw" => "Cara pakai: /withdraw KODE [alasan]".into(),
        "client" => "Cara pakai: /client KODE".into(),
        "subject" => "Cara pakai: /subject KODE".into(),
        "erase" => "Cara pakai: /erase KODE".into(),
        "breach" => "Cara pakai: /breach APA YANG TERJADI (membuka insiden) atau /breach N (menyusun draf pemberitahuannya)".into(),
        "grant" => "Cara pakai: /grant USER_ID coordinator|admin".into(),
        "ungrant" => "Cara pakai: /ungrant USER_ID".into(),
        "policy" => "Cara pakai: /policy [mode=enforce|observe] [untagged=blur|block] [kind=team|public] [lang=id|en] [remind=Nd|off]".into(),
        "audit" => "Cara pakai: /audit [hari]".into(),
        "view" => "Cara pakai: /view N [original]".into(),
        other => format!("Cara pakai: /{other}"),
    }
}

/// A command's line in `/help` (see `command/table.rs`).
fn help_line(command: &str) -> String {
    let line = match command {
        "rules" => "/rules: aturan foto klien",
        "report" => "/report (sebagai balasan, di grup): laporkan pesan ke admin",
        "help" => "/help: apa yang bisa Anda lakukan di sini",
        "start" => "/start: tentang saya",
        "consent" => "/consent KODE LEVEL [until=…] [by=…] [evidence=…] [purpose=…]",
        "withdraw" => "/withdraw KODE [alasan]",
        "client" => "/client KODE: riwayat klien",
        "clients" => "/clients: semua klien",
        "review" => "/review: foto yang ditahan",
        "grant" => "/grant USER_ID coordinator|admin",
        "ungrant" => "/ungrant USER_ID",
        "policy" => "/policy [mode=…] [untagged=…] [kind=…] [lang=…] [remind=…] (di grup)",
        "audit" => "/audit [hari]: log audit (CSV)",
        "stats" => "/stats: statistik",
        "subject" => "/subject KODE: semua data tentang klien, sebagai berkas",
        "erase" => "/erase KODE: hapus foto klien, simpan buktinya",
        "breach" => {
            "/breach APA YANG TERJADI: buka insiden kebocoran; /breach N: draf pemberitahuannya"
        }
        other => return format!("/{other}"),
    };
    line.into()
}

/// A command's entry in the commands menu (see `command/table.rs`).
fn menu_entry(command: &str) -> String {
    let entry = match command {
        "rules" => "Aturan foto klien",
        "report" => "Laporkan pesan (balas)",
        "help" => "Bantuan",
        "start" => "Tentang bot",
        "consent" => "Catat persetujuan",
        "withdraw" => "Cabut persetujuan",
        "client" => "Riwayat klien",
        "clients" => "Semua klien",
        "review" => "Foto yang ditahan",
        "grant" => "Beri peran",
        "ungrant" => "Cabut peran",
        "policy" => "Kebijakan obrolan",
        "audit" => "Log audit (CSV)",
        "stats" => "Statistik",
        "subject" => "Data klien (berkas)",
        "erase" => "Hapus data klien",
        "breach" => "Kebocoran data",
        other => return format!("/{other}"),
    };
    entry.into()
}

fn help_section(role: Role) -> String {
    match role {
        Role::Coordinator => "Koordinator (obrolan pribadi):".into(),
        Role::Admin => "Admin:".into(),
    }
}

fn problem_text(p: &Problem) -> String {
    match p {
        Problem::BadCode(_) => "kode klien terdiri dari 2 sampai 32 huruf, angka atau _".into(),
        Problem::BadLevel(v) => {
            format!("\"{v}\" bukan tingkat persetujuan (full, blurred atau refused)")
        }
        Problem::BadDate(v) => format!("\"{v}\" bukan tanggal yang benar dengan format YYYY-MM-DD"),
        Problem::BadUserId(v) => format!("\"{v}\" bukan user id (angka positif)"),
        Problem::BadRole(v) => format!("\"{v}\" bukan peran (coordinator atau admin)"),
        Problem::BadValue {
            key,
            value,
            expected,
        } => format!("\"{value}\" bukan nilai {key} yang sah ({expected})"),
        Problem::UnknownOption { key } => format!("opsi \"{key}\" tidak dikenal"),
        Problem::RepeatedOption { key } => format!("{key}= diberikan lebih dari sekali"),
        Problem::MissingValue { key } => format!("{key}= tidak punya nilai"),
        Problem::MissingArgument { what } => format!("{} belum diisi", arg_name(*what)),
        Problem::TooManyArguments { extra } => format!("\"{extra}\" tidak diharapkan"),
        Problem::UnquotedValue { key } => {
            format!("{key} berisi spasi: apit dengan tanda kutip ganda")
        }
        Problem::TooLong { key, max } => format!("{key} lebih dari {max} karakter"),
        Problem::UnterminatedQuote => "ada tanda kutip ganda yang tidak ditutup".into(),
        Problem::ControlCharacter(c) => {
            format!("teks berisi karakter kontrol tak terlihat (U+{c:04X})")
        }
    }
}

fn arg_name(arg: Arg) -> &'static str {
    match arg {
        Arg::Code => "kode klien",
        Arg::Level => "tingkat persetujuan",
        Arg::UserId => "user id",
        Arg::Role => "peran",
        Arg::Description => "apa yang terjadi",
    }
}
