//! Who is acting: the OS user that runs the process (SSH authenticated it),
//! read from the kernel's uid, not from an environment variable anyone can set.

/// The login name of the process's real uid, or `uid<N>` when it has no passwd entry.
pub fn os_user() -> String {
    let uid = nix::unistd::getuid();
    match nix::unistd::User::from_uid(uid) {
        Ok(Some(user)) => user.name,
        _ => format!("uid{uid}"),
    }
}

/// The user's full name from the passwd GECOS field, when set.
pub fn os_user_full_name() -> Option<String> {
    let user = nix::unistd::User::from_uid(nix::unistd::getuid()).ok()??;
    let gecos = user.gecos.to_string_lossy().split(',').next()?.trim().to_string();
    (!gecos.is_empty()).then_some(gecos)
}
