using Svi.Server.Contracts;

namespace Svi.Server.Api;

/// <summary>The POST routes that submit a render: a generation or an extension.</summary>
public static class SubmissionRoutes
{
    /// <summary>
    /// The handler reads its JSON or multipart body itself, so no antiforgery token is asked for and the body is only
    /// documented (<typeparamref name="TBody"/>); it answers the created <typeparamref name="TResponse"/> with
    /// <paramref name="status"/>, or 400 with the API's error body. The route itself is mapped where its handler is
    /// named: the trimmed GPU kit's request delegate generator resolves only a method group passed to <c>MapPost</c>.
    /// </summary>
    public static RouteHandlerBuilder AsSubmission<TBody, TResponse>(this RouteHandlerBuilder route, int status = StatusCodes.Status200OK) =>
        route.DisableAntiforgery().DocumentsBody<TBody>()
            .Produces<TResponse>(status).Produces<ErrorBody>(StatusCodes.Status400BadRequest);
}
