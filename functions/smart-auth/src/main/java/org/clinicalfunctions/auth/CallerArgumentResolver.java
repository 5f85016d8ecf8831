package org.clinicalfunctions.auth;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Gives a controller method's {@link Caller} parameter the verified caller of the request, or answers 401. */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    private static final String ATTRIBUTE = Caller.class.getName();

    private final BearerTokenVerifier verifier;

    public CallerArgumentResolver(BearerTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return Caller.class.equals(parameter.getParameterType());
    }

    @Override
    public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
            NativeWebRequest request, WebDataBinderFactory binders) {
        Object known = request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (known instanceof Caller caller) {
            return caller;
        }
        Caller caller = verifier.verifyHeader(request.getHeader(HttpHeaders.AUTHORIZATION));
        request.setAttribute(ATTRIBUTE, caller, RequestAttributes.SCOPE_REQUEST);
        return caller;
    }
}
