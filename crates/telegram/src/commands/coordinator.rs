//! The coordinators' consent commands, in a private chat with the bot: the
//! core's answers (`services::answers`) call the consent book and render its
//! outcome; this only sends the text back.

use photo_guard_core::command::ConsentArgs;
use photo_guard_core::services::answers;
use photo_guard_core::ClientCode;

use super::Ctx;

pub async fn consent(ctx: &Ctx<'_>, args: ConsentArgs) {
    let services = &ctx.app.services;
    ctx.say(answers::consent(services, ctx.caller(), &args, ctx.lang).await)
        .await;
}

pub async fn withdraw(ctx: &Ctx<'_>, code: ClientCode, reason: Option<String>) {
    let services = &ctx.app.services;
    let answer = answers::withdraw(services, ctx.caller(), &code, reason, ctx.lang).await;
    ctx.say(answer).await;
}

pub async fn client(ctx: &Ctx<'_>, code: ClientCode) {
    ctx.say(answers::client(&ctx.app.services, &code, ctx.lang).await)
        .await;
}

pub async fn clients(ctx: &Ctx<'_>) {
    ctx.say(answers::clients(&ctx.app.services, ctx.lang).await)
        .await;
}
