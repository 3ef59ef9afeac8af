package io.imagerec.localcloud;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;

import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.GetBucketAclRequest;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/**
 * A blob store whose buckets and objects are always private: S3Proxy serves an unsigned request only
 * when the store reports the bucket or object as public, and this store never does.
 *
 * <p>Why it is needed: S3Proxy's {@code filesystem-nio2} store derives a bucket's and an object's ACL
 * from the POSIX permissions of its directory and file. With the usual umask (022) every directory
 * and file is readable by "others", which the store reports as {@code public-read}, so an anonymous
 * {@code GET /images?list-type=2} listed the bucket and an anonymous {@code GET /images/<key>} read
 * any image. Here access no longer depends on file modes: unsigned requests get 403 AccessDenied,
 * signed requests and presigned URLs with the configured key pair work as before. Requests to make a
 * bucket or object public (canned ACLs) are accepted and ignored.
 *
 * <p>Every other call goes to the delegate; S3Proxy looks through {@link ForwardingBlobStore} to the
 * delegate's type for its per-store quirks, so the wrapper changes nothing else.
 */
final class PrivateBlobStore extends ForwardingBlobStore {

    private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    private static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

    PrivateBlobStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public BucketCannedACL getContainerAccess(String container) {
        return BucketCannedACL.PRIVATE;
    }

    @Override
    public void setContainerAccess(String container, BucketCannedACL access) {
        if (access == BucketCannedACL.PRIVATE) {
            super.setContainerAccess(container, access);
        }
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String name) {
        return ObjectCannedACL.PRIVATE;
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String name, String versionId) {
        return ObjectCannedACL.PRIVATE;
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access) {
        if (access == ObjectCannedACL.PRIVATE) {
            super.setBlobAccess(container, name, access);
        }
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access, String versionId) {
        if (access == ObjectCannedACL.PRIVATE) {
            super.setBlobAccess(container, name, access, versionId);
        }
    }

    /** GetBucketAcl tells the truth: no grants to everyone (the delegate derives them from file modes). */
    @Override
    public GetBucketAclResponse getContainerAcl(GetBucketAclRequest request) {
        GetBucketAclResponse acl = super.getContainerAcl(request);
        return acl.toBuilder().grants(acl.grants().stream().filter(g -> !toGroup(g)).toList()).build();
    }

    @Override
    public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
        GetObjectAclResponse acl = super.getBlobAcl(request);
        return acl.toBuilder().grants(acl.grants().stream().filter(g -> !toGroup(g)).toList()).build();
    }

    private static boolean toGroup(Grant grant) {
        String uri = grant.grantee() == null ? null : grant.grantee().uri();
        return ALL_USERS.equals(uri) || AUTHENTICATED_USERS.equals(uri);
    }
}
