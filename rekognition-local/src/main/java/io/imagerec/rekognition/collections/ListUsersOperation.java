package io.imagerec.rekognition.collections;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionOperation;

/** {@code RekognitionService.ListUsers}: in creation order, MaxResults 1-500 (default 500), NextToken paging. */
@ApplicationScoped
public class ListUsersOperation implements RekognitionOperation {

    private final FaceCollections collections;

    public ListUsersOperation(FaceCollections collections) {
        this.collections = collections;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(@JsonProperty("Users") List<UserShapes.User> users,
                           @JsonProperty("NextToken") String nextToken) {
    }

    private static final Pattern ORDINAL = Pattern.compile("[0-9]{1,18}");

    @Override
    public String name() {
        return "ListUsers";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection c = collections.get(CollectionShapes.collectionId(request));
        Integer max = Params.optionalInt(request, "MaxResults", 1, UserShapes.MAX_USERS);
        int limit = max == null ? UserShapes.MAX_USERS : max;
        // A token is the ordinal of the last user listed (users are listed in creation order).
        String after = CollectionShapes.afterKey(request, ORDINAL);
        long afterOrdinal = after == null ? 0 : Long.parseLong(after);
        CollectionShapes.Page<FaceUsers.User> page = CollectionShapes.page(c.users().list(afterOrdinal, limit + 1), limit,
                u -> Long.toString(u.ordinal()));
        return new Response(page.items().stream().map(UserShapes.User::of).toList(), page.nextToken());
    }
}
