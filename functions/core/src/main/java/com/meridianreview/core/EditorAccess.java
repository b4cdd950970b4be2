package com.meridianreview.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * Who may use the editor routes. The HTTP API's JWT authorizer has checked the token's signature,
 * issuer, audience and lifetime before the function runs; this checks what the authorizer cannot:
 * that the caller is in the editors' group. It also refuses a request with no verified token at
 * all, so that a route that lost its authorizer fails closed.
 */
public final class EditorAccess {

    private final String groupsClaim;
    private final String group;

    public EditorAccess(String groupsClaim, String group) {
        this.groupsClaim = groupsClaim;
        this.group = group;
    }

    /** Nothing for an editor; otherwise 401 without a verified token, 403 for anyone not in the group. */
    public Optional<Problem> refusal(HttpApiRequest request) {
        if (subject(request).isEmpty()) {
            return Optional.of(Problem.of(401, "Sign in first", "this route needs an editor's token in the Authorization header"));
        }
        boolean member = request.claim(groupsClaim).map(EditorAccess::groups).map(groups -> Arrays.asList(groups).contains(group)).orElse(false);
        if (!member) {
            return Optional.of(Problem.of(403, "Editors only", "you are signed in, but not as a member of the \"" + group + "\" group"));
        }
        return Optional.empty();
    }

    /** The verified token's subject: who is asking, for the logs (never the token itself). */
    public static Optional<String> subject(HttpApiRequest request) {
        return request.claim("sub").filter(s -> !s.isBlank());
    }

    /**
     * API Gateway passes a list claim as text, "[editors admins]"; another provider's token may
     * hold one group as a plain string. Group names are compared whole: nothing is split on commas
     * or stripped of quotes, so "x,editors" is not "editors".
     */
    static String[] groups(String claim) {
        String text = claim.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1).strip();
        }
        return text.isEmpty() ? new String[0] : text.split("\\s+");
    }
}
